import CCurl
import CCurlShim

/// `HTTPTransport` on libcurl (loaded on the first request): one easy handle per request, so requests on several threads
/// never share state. TLS is always verified, except for loopback hosts (emulators with
/// self-signed certificates).
public struct CurlTransport: HTTPTransport {
    public var connectTimeoutSeconds: Int
    public var timeoutSeconds: Int

    public init(connectTimeoutSeconds: Int = 10, timeoutSeconds: Int = 60) {
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse {
        var loadError = [CChar](repeating: 0, count: 256)
        guard pipespec_curl_load(&loadError, loadError.count) == 0 else {
            throw TransportFailure(String(decoding: loadError.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self), isTransient: false)
        }
        guard let handle = pipespec_curl_easy_init() else { throw TransportFailure("cannot start libcurl", isTransient: false) }
        defer { pipespec_curl_easy_cleanup(handle) }
        let sink = ResponseSink()
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            headerList = pipespec_curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // An empty `Expect:` stops libcurl from waiting for `100 Continue` on uploads.
        headerList = pipespec_curl_slist_append(headerList, "Expect:")
        defer { pipespec_curl_slist_free_all(headerList) }

        pipespec_curl_setopt_string(handle, CURLOPT_URL, request.url)
        pipespec_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        pipespec_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        pipespec_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeoutSeconds)
        pipespec_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
        pipespec_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        pipespec_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        pipespec_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, collectBody)
        pipespec_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer)
        pipespec_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, collectHeader)
        pipespec_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer)
        if Self.isLoopback(request.url) {
            pipespec_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            pipespec_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if request.method == "HEAD" { pipespec_curl_setopt_long(handle, CURLOPT_NOBODY, 1) }

        let code: CURLcode = withExtendedLifetime(sink) {
            if request.body != nil || ["POST", "PUT", "PATCH"].contains(request.method) {
                let body = request.body ?? []
                // A non-empty buffer, so that its address is never nil; the size says how much is sent.
                let storage = body.isEmpty ? [0] : body
                return storage.withUnsafeBytes { buffer in
                    pipespec_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
                    // libcurl reads the body during `perform`, while `buffer` is alive.
                    pipespec_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
                    return pipespec_curl_easy_perform(handle)
                }
            }
            return pipespec_curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            let message = String(cString: pipespec_curl_easy_strerror(code))
            throw TransportFailure("\(request.method) \(Self.redacted(request.url)): \(message)", isTransient: Self.transientCodes.contains(code))
        }
        var status = 0
        pipespec_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private static let transientCodes: Set<CURLcode> = [
        CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
        CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_COULDNT_RESOLVE_HOST, CURLE_HTTP2, CURLE_HTTP2_STREAM,
    ]

    /// The URL without its query, which may carry request parameters nobody needs in an error.
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }

    static func isLoopback(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return false }
        var host = url[url.index(colon, offsetBy: 3)...].prefix { $0 != "/" && $0 != "?" }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("[") { return host.hasPrefix("[::1]") }
        let name = host.prefix { $0 != ":" }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        let isIPv4 = octets.count == 4 && octets.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        return name == "localhost" || (isIPv4 && octets[0] == "127")
    }
}

/// Collects a response's body and headers as libcurl hands them over.
private final class ResponseSink {
    var body: [UInt8] = []
    var headers: [String: String] = [:]
}

private let collectBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    if let data, length > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    }
    return length
}

private let collectHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data, length > 0 else { return length }
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) }
    if line.hasPrefix("HTTP/") {
        sink.headers = [:]  // a new response (after a redirect or `100 Continue`)
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        sink.headers[name] = String(value.reversed().drop { $0.isWhitespace }.reversed())
    }
    return length
}
