// Loads the sample feed bodies under Tests/PluginTests/Payloads/.
import Foundation
import PioneerTesting

enum Payload {
    /// The bytes of `Payloads/<name>`.
    static func body(_ name: String) throws -> FeedBody {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Payloads") else {
            throw HarnessError("no payload `\(name)` under Tests/PluginTests/Payloads")
        }
        return try FeedBody.file(url)
    }

    /// `Payloads/<name>` as text.
    static func text(_ name: String) throws -> String {
        String(decoding: try body(name).data, as: UTF8.self)
    }
}
