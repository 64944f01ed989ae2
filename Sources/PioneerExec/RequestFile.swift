// The request as the plugin's stdin: a file written and unlinked before the process starts.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why writing a request file failed.
struct RequestFileError: Error, CustomStringConvertible {
    var description: String
}

/// A request in an unlinked temporary file, read from its start.
///
/// A pipe would need a writer running beside the reader, block when the plugin does not
/// read, and raise SIGPIPE when it exits first; a file needs none of that, and reads the
/// same to `json.load(sys.stdin)` or `cat`.
enum RequestFile {
    /// An open descriptor (close-on-exec, so only the plugin it is given to inherits it)
    /// of a file holding `data`, positioned at its start. The caller closes it.
    static func descriptor(holding data: Data) throws(RequestFileError) -> CInt {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("pioneer-plugin-request-\(UUID().uuidString)").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RequestFileError(description: "\(path): \(String(cString: strerror(errno)))")
        }
        unlink(path)
        let written = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return false }
                let count = write(descriptor, base + offset, raw.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        guard written, lseek(descriptor, 0, SEEK_SET) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw RequestFileError(description: "\(path): \(reason)")
        }
        return descriptor
    }
}
