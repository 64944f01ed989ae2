// JSON answers: sorted keys, so the same value is the same bytes (and a test or a diff reads
// them the same way every time).
import Foundation
import Hummingbird

enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return response(bytes: try encoder.encode(value), status: status)
    }

    /// An answer whose JSON is already written (the import summary and the national aggregate write their own).
    static func response(bytes: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
