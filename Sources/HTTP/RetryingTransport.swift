#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When and how long to wait before sending a request again.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included.
    public var maximumAttempts: Int
    public var initialBackoff: Double
    public var maximumBackoff: Double
    /// The longest `Retry-After` honoured; a server asking for more gets this.
    public var maximumRetryAfter: Double

    public init(maximumAttempts: Int = 6, initialBackoff: Double = 0.25, maximumBackoff: Double = 8, maximumRetryAfter: Double = 30) {
        self.maximumAttempts = maximumAttempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Statuses worth another try: timeouts, throttling and server errors.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): exponential backoff with
    /// jitter in its upper half, or the server's `Retry-After` when it gave one.
    public func delay(afterAttempt attempt: Int, retryAfter: String?, random: Double) -> Double {
        if let retryAfter, let seconds = Double(retryAfter), seconds >= 0 {
            return min(seconds, maximumRetryAfter)
        }
        let exponential = min(maximumBackoff, initialBackoff * Double(1 << min(attempt - 1, 30)))
        return exponential * (0.5 + 0.5 * random)
    }
}

/// Sends requests again on transient failures (408, 429, 5xx, timeouts, resets), with the
/// waits of a `RetryPolicy`; any other outcome is returned as it is.
public struct RetryingTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let policy: RetryPolicy
    private let sleep: @Sendable (Double) -> Void
    private let random: @Sendable () -> Double

    public init(
        _ base: any HTTPTransport,
        policy: RetryPolicy = RetryPolicy(),
        sleep: @escaping @Sendable (Double) -> Void = { seconds in usleep(useconds_t(seconds * 1_000_000)) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.base = base
        self.policy = policy
        self.sleep = sleep
        self.random = random
    }

    public func send(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse {
        var attempt = 1
        while true {
            let retryAfter: String?
            do {
                let response = try base.send(request)
                guard RetryPolicy.isRetryable(status: response.status), attempt < policy.maximumAttempts else { return response }
                retryAfter = response.headers["retry-after"]
            } catch {
                guard error.isTransient, attempt < policy.maximumAttempts else { throw error }
                retryAfter = nil
            }
            sleep(policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: random()))
            attempt += 1
        }
    }
}
