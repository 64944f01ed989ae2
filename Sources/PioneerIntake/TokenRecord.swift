// Who may submit and read: a token per site, and office tokens that see everything.
// Only the token's SHA-256 is stored; the record carries no secret.

/// What a token lets its holder do.
public enum TokenRole: String, Codable, Sendable, CaseIterable {
    /// Submits and reads its own site's returns only.
    case site
    /// Submits for any site, reads status, the aggregate and the dashboard.
    case office
}

/// A token as `token list` shows it: never the token or its hash.
public struct TokenRecord: Codable, Sendable, Hashable {
    /// A short public id, shown by `token list`, used by `token revoke`.
    public var id: String
    public var role: TokenRole
    /// The site, for a site token.
    public var site: String?
    /// ISO 8601, UTC.
    public var createdAt: String
    /// ISO 8601, UTC; nil while the token is valid.
    public var revokedAt: String?

    public init(id: String, role: TokenRole, site: String?, createdAt: String, revokedAt: String?) {
        self.id = id
        self.role = role
        self.site = site
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// Who a valid token belongs to.
public struct Caller: Sendable, Hashable {
    public var tokenID: String
    public var role: TokenRole
    /// The site, for a site token.
    public var site: String?

    public init(tokenID: String, role: TokenRole, site: String?) {
        self.tokenID = tokenID
        self.role = role
        self.site = site
    }
}
