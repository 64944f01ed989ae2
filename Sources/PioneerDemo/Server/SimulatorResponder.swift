// The bridge between Hummingbird and the catalogue: HTTP requests in, simulated answers out.
import HTTPTypes
import Hummingbird

/// Turns HTTP requests into ``SimulatedRequest``s and the catalogue's answers into responses.
struct SimulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let catalogue: DemoFeedCatalogue

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            let answer = SimulatedResponse.error(405, "the demo feeds answer GET and HEAD only", headers: ["Allow": "GET, HEAD"])
            return response(answer, includeBody: true)
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        let simulated = SimulatedRequest(
            path: request.uri.path,
            query: request.uri.query.map { SimulatedRequest.parseQuery($0) } ?? [:],
            headers: headers
        )
        return response(catalogue.respond(to: simulated), includeBody: request.method == .get)
    }

    private func response(_ answer: SimulatedResponse, includeBody: Bool) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        let body = includeBody && !answer.body.isEmpty ? ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)) : ResponseBody()
        return Response(status: HTTPResponse.Status(code: answer.status, reasonPhrase: Self.reason(answer.status)),
                        headers: fields, body: body)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        default: return ""
        }
    }
}
