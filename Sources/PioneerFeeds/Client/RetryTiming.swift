// How long to wait before a retry: exponential backoff with jitter, or the server's Retry-After.
import Foundation
import PioneerCore

/// The waits between attempts of one fetch.
enum RetryTiming {
    /// Seconds to wait before retry number `retry` (1 for the first retry).
    ///
    /// Backoff doubles each retry from `policy.backoff`, then "equal jitter" picks a
    /// value between half and all of it, so many feeds failing together do not retry in
    /// step. A server's `Retry-After` is honoured when it asks for longer. Either way the
    /// wait never exceeds `policy.maxBackoff`.
    static func delay(beforeRetry retry: Int, policy: RetryPolicy, retryAfter: Double?,
                      using generator: inout some RandomNumberGenerator) -> Double {
        let exponent = Double(max(0, min(retry - 1, 30)))
        let base = max(0, policy.backoff) * pow(2, exponent)
        let jittered = base > 0 ? Double.random(in: (base / 2)...base, using: &generator) : 0
        let wanted = max(jittered, retryAfter ?? 0)
        return min(wanted, max(0, policy.maxBackoff))
    }

    /// The seconds a `Retry-After` header asks for: a number of seconds, or an HTTP date
    /// (`Wed, 21 Oct 2026 07:28:00 GMT`) measured from `now`. Nil when absent or unreadable.
    static func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if let seconds = Int(text) { return Double(max(0, seconds)) }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }

    /// IMF-fixdate, then the obsolete RFC 850 and asctime forms HTTP still allows.
    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",
        "EEEE, dd-MMM-yy HH:mm:ss zzz",
        "EEE MMM d HH:mm:ss yyyy",
    ]
}
