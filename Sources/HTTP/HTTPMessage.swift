/// An HTTP request as the Google Cloud clients build it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A response: status, headers (names lowercased) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A request that got no HTTP response: the connection failed, was reset or timed out.
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    /// Whether sending the request again may succeed (timeouts, resets, refused connections).
    public var isTransient: Bool
    public var description: String

    public init(_ description: String, isTransient: Bool) {
        self.description = description
        self.isTransient = isTransient
    }
}

/// Sends one request and waits for its response.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse
}
