// Unbuffered writes to stdout and stderr that survive a closed pipe
// (`pioneer demo | head`): a failed write is dropped, never a crash.
import Foundation
import Synchronization

/// Writing to stderr, and whether it is a terminal.
enum StandardError {
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// An error that is not a configuration file's (those carry `FILE:LINE:COLUMN: error:`
    /// already), written `error: …` as every other error is.
    static func error(_ message: String) {
        write(message.hasPrefix("error: ") ? message + "\n" : "error: \(message)\n")
    }
}

/// Writing to stdout at once, without Swift's buffering.
///
/// A closed pipe (`pioneer measures | head`) drops the rest quietly. Any other failure (a full
/// disk, an I/O error) is kept as ``failure``, and the command ends with it and exit status 1
/// rather than 0: a CSV or report that never reached its file must not read as made.
enum StandardOutput {
    private static let firstFailure = Mutex<String?>(nil)

    /// Why writing to stdout failed, other than a closed pipe; nil when nothing failed.
    static var failure: String? { firstFailure.withLock { $0 } }

    /// `text` and then `terminator` (a line break), as `print` writes it.
    static func line(_ text: String = "", terminator: String = "\n") {
        write(text + terminator)
    }

    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if count >= 0 {
                bytes = bytes.dropFirst(count)
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code != EPIPE {
                firstFailure.withLock { $0 = $0 ?? "cannot write to standard output: \(String(cString: strerror(code)))" }
            }
            return
        }
    }
}
