import Synchronization

/// Why no access token could be had. Never holds token or key material.
public struct AuthFailure: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Gives the OAuth 2.0 access token that Google APIs take as `Authorization: Bearer …`.
public protocol AccessTokenProvider: Sendable {
    /// Where the token comes from, for messages ("service account key /path/key.json").
    var source: String { get }
    func accessToken() throws(AuthFailure) -> String
}

/// Fetches a token once and hands the same one to every request (a deploy takes far less
/// than a token's hour), however many threads ask at once.
public final class CachingTokenProvider: AccessTokenProvider {
    private let fetch: @Sendable () throws(AuthFailure) -> String
    private let cached = Mutex<Result<String, AuthFailure>?>(nil)
    public let source: String

    public init(source: String, fetch: @escaping @Sendable () throws(AuthFailure) -> String) {
        self.source = source
        self.fetch = fetch
    }

    public func accessToken() throws(AuthFailure) -> String {
        let result = cached.withLock { cached in
            if let cached { return cached }
            let result: Result<String, AuthFailure>
            do throws(AuthFailure) { result = .success(try fetch()) } catch { result = .failure(error) }
            cached = result
            return result
        }
        return try result.get()
    }
}

/// A token given as it is (`GOOGLE_OAUTH_ACCESS_TOKEN`).
public struct StaticTokenProvider: AccessTokenProvider {
    private let token: String
    public let source: String

    public init(token: String, source: String) {
        self.token = token
        self.source = source
    }

    public func accessToken() throws(AuthFailure) -> String { token }
}
