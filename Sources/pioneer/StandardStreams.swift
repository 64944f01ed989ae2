// Unbuffered writes to stdout and stderr that survive a closed pipe
// (`pioneer demo | head`): a failed write is dropped, never a crash.
import Foundation

/// Writing to stderr, and whether it is a terminal.
enum StandardError {
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

/// Writing to stdout at once, without Swift's buffering.
enum StandardOutput {
    static func write(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }
}
