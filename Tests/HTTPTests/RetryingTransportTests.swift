@testable import HTTP
import Synchronization
import Testing

/// Answers requests from a script, one entry per attempt, and counts the attempts.
final class ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case respond(Int, [String: String])
        case fail(transient: Bool)
    }

    let steps: Mutex<[Step]>
    let attempts = Mutex(0)

    init(_ steps: [Step]) {
        self.steps = Mutex(steps)
    }

    func send(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse {
        attempts.withLock { $0 += 1 }
        let step = steps.withLock { $0.isEmpty ? Step.respond(200, [:]) : $0.removeFirst() }
        switch step {
        case .respond(let status, let headers): return HTTPResponse(status: status, headers: headers)
        case .fail(let transient): throw TransportFailure("connection reset", isTransient: transient)
        }
    }
}

/// The waits a transport asked for.
final class Waits: Sendable {
    let values = Mutex<[Double]>([])
}

@Suite struct RetryingTransportTests {
    /// A transport that records its waits instead of sleeping.
    func retrying(_ base: ScriptedTransport, waits: Waits, attempts: Int = 4) -> RetryingTransport {
        RetryingTransport(base, policy: RetryPolicy(maximumAttempts: attempts), sleep: { seconds in waits.values.withLock { $0.append(seconds) } }, random: { 0.5 })
    }

    @Test func retriesThrottlingAndServerErrorsHonouringRetryAfter() throws {
        let base = ScriptedTransport([.respond(429, ["retry-after": "2"]), .respond(503, [:]), .fail(transient: true), .respond(200, [:])])
        let waits = Waits()
        let response = try retrying(base, waits: waits).send(HTTPRequest(method: "GET", url: "http://127.0.0.1/x"))
        #expect(response.status == 200)
        #expect(base.attempts.withLock { $0 } == 4)
        // Retry-After first, then exponential backoff (0.5 s, 1 s) at 75% for the jitter.
        #expect(waits.values.withLock { $0 } == [2, 0.375, 0.75])
    }

    @Test func givesUpAfterTheLastAttempt() throws {
        let base = ScriptedTransport(Array(repeating: .respond(500, [:]), count: 10))
        let waits = Waits()
        let response = try retrying(base, waits: waits, attempts: 3).send(HTTPRequest(method: "GET", url: "http://127.0.0.1/x"))
        #expect(response.status == 500)
        #expect(base.attempts.withLock { $0 } == 3)
    }

    @Test func doesNotRetryClientErrorsOrPermanentFailures() throws {
        let waits = Waits()
        let refused = ScriptedTransport([.respond(400, [:])])
        #expect(try retrying(refused, waits: waits).send(HTTPRequest(method: "POST", url: "http://127.0.0.1/x")).status == 400)
        #expect(refused.attempts.withLock { $0 } == 1)
        let broken = ScriptedTransport([.fail(transient: false)])
        #expect(throws: TransportFailure.self) { try retrying(broken, waits: waits).send(HTTPRequest(method: "GET", url: "http://127.0.0.1/x")) }
        #expect(broken.attempts.withLock { $0 } == 1)
    }

    @Test func capsTheWaits() {
        let policy = RetryPolicy(maximumAttempts: 10, initialBackoff: 1, maximumBackoff: 4, maximumRetryAfter: 30)
        #expect(policy.delay(afterAttempt: 8, retryAfter: nil, random: 1) == 4)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "3600", random: 0) == 30)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "soon", random: 0) == 0.5)
    }
}

@Suite struct CurlTransportTests {
    @Test func recognizesLoopbackHosts() {
        #expect(CurlTransport.isLoopback("http://127.0.0.1:4443/storage"))
        #expect(CurlTransport.isLoopback("https://localhost/x"))
        #expect(CurlTransport.isLoopback("http://[::1]:80/"))
        #expect(!CurlTransport.isLoopback("https://storage.googleapis.com/"))
        #expect(!CurlTransport.isLoopback("https://127.0.0.1.example.com/"))
        #expect(!CurlTransport.isLoopback("https://user@evil.com/@127.0.0.1"))
    }

    @Test func reportsAConnectionThatNobodyAccepts() {
        // Port 1 on loopback: nothing listens, the kernel refuses at once.
        #expect(throws: TransportFailure.self) { try CurlTransport(connectTimeoutSeconds: 2, timeoutSeconds: 2).send(HTTPRequest(method: "GET", url: "http://127.0.0.1:1/")) }
    }

    @Test func percentEncodesAllButUnreserved() {
        #expect(PercentEncoding.encode("a b/c~d_e.f-g+h=é") == "a%20b%2Fc~d_e.f-g%2Bh%3D%C3%A9")
    }
}
