// What pioneer can tell about a TLS file before libcurl reads it.
public import Foundation

/// Checks on the PEM files a feed or `pioneer submit` gives libcurl.
public enum CurlTLSFiles {
    /// Whether the PEM file at `path` holds an encrypted private key (PKCS #8's
    /// `ENCRYPTED PRIVATE KEY`, or the older `Proc-Type: 4,ENCRYPTED` form): one that needs a
    /// pass phrase, which OpenSSL would otherwise ask for on the terminal.
    public static func isEncryptedKey(atPath path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 64 * 1024)) ?? Data(), as: UTF8.self)
        return head.contains("BEGIN ENCRYPTED PRIVATE KEY") || head.contains("Proc-Type: 4,ENCRYPTED")
    }
}
