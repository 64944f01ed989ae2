// HTTP's methods as a client may use them on the service's addresses: HEAD (registered beside
// each GET) answered without the body (a monitor's `HEAD /health` was a 404); a method an
// address does not answer is a 405 naming the ones it does, not a 404 saying nothing is there.
import Hummingbird
import HTTPTypes

struct MethodMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    /// The routes, filled in once they are registered.
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let head = request.method == .head
        do {
            var response = try await next(request, context)
            if head {
                let length = response.body.contentLength
                response.body = ResponseBody()
                if let length { response.headers[.contentLength] = String(length) }
            }
            return response
        } catch let error as any HTTPResponseError where error.status == .notFound {
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            var headers = HTTPFields()
            headers[.allow] = allowed.joined(separator: ", ")
            throw IntakeHTTPError(status: .methodNotAllowed, message: ErrorResponseMiddleware.message(for: .methodNotAllowed),
                                  headers: headers)
        }
    }
}

/// The service's routes as method and path pattern, for the 405's `Allow`.
final class RouteTable: @unchecked Sendable {
    // @unchecked: `routes` is written once, by the router's builder, before the server starts.
    private var routes: [(method: String, segments: [Substring])] = []

    func set(_ routes: [(method: String, path: String)]) {
        self.routes = routes.map { ($0.method, $0.path.split(separator: "/")) }
    }

    /// The methods the routes matching `path` answer, in the order registered.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        var methods: [String] = []
        for route in routes where route.segments.count == segments.count
            && zip(route.segments, segments).allSatisfy({ $0.hasPrefix(":") || $0.hasPrefix("{") || $0 == $1 })
            && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }
}
