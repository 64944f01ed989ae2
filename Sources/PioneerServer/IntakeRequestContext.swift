// What the intake server knows about one request as it passes through the middlewares: its
// id (for the logs and the X-Request-Id header) and, once authenticated, who is calling.
import Hummingbird
import Logging
import PioneerIntake

/// The request context of every intake route.
struct IntakeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request's id: the caller's X-Request-Id when usable, else a new one.
    var requestID: String
    /// The token's owner, set by ``AuthenticationMiddleware``; nil on the open routes.
    var caller: Caller?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.requestID = ""
        self.caller = nil
    }
}
