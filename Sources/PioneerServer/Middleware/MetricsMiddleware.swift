// Times every request and counts it by method, route template and status, for /metrics.
import Hummingbird

struct MetricsMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    var metrics: IntakeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        // The matched route's template (`/v1/returns/{id}`); unmatched paths share one label.
        let route = context.endpointPath ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: response.status.code,
                        duration: started.duration(to: .now))
        return response
    }
}
