import DeployEngine
import GoogleAuth
import HTTP
import JSON
import YAML

/// Sends authorized JSON requests to a Google API and turns its answers into values or
/// `CloudError`s (with the API's own message, never the token).
struct APIClient: Sendable {
    let transport: any HTTPTransport
    let credentials: any AccessTokenProvider

    func send(_ method: String, _ url: String, json: JSONObject? = nil) throws(CloudError) -> JSONObject {
        try send(method, url, body: json.map { JSONWriter.compactBytes(.object($0)) }, contentType: "application/json")
    }

    func send(_ method: String, _ url: String, body: [UInt8]?, contentType: String) throws(CloudError) -> JSONObject {
        let token: String
        do { token = try credentials.accessToken() } catch { throw CloudError(status: nil, message: "no access token from \(credentials.source): \(error)") }
        var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(token)"), ("User-Agent", "pipespec")]
        if body != nil { headers.append(("Content-Type", contentType)) }
        let response: HTTPResponse
        do {
            response = try transport.send(HTTPRequest(method: method, url: url, headers: headers, body: body))
        } catch {
            throw CloudError(status: nil, message: error.description)
        }
        let parsed = response.body.isEmpty ? nil : JSONReader.value(of: response.body)
        guard response.isSuccess else {
            let message = parsed?[path: "error.message"]?.stringValue ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            throw CloudError(status: response.status, message: "\(method) \(Self.withoutQuery(url)): HTTP \(response.status): \(message)")
        }
        return parsed?.objectValue ?? JSONObject()
    }

    /// Every item of a paged list (`nextPageToken`).
    func list(_ url: String, items key: String) throws(CloudError) -> [JSONObject] {
        var result: [JSONObject] = []
        var pageToken: String?
        repeat {
            var pageURL = url
            if let pageToken { pageURL += (url.contains("?") ? "&" : "?") + "pageToken=" + PercentEncoding.encode(pageToken) }
            let page = try send("GET", pageURL)
            if case .array(let items)? = page[key] { result += items.compactMap(\.objectValue) }
            pageToken = page["nextPageToken"]?.stringValue
            if pageToken?.isEmpty == true { pageToken = nil }
        } while pageToken != nil
        return result
    }

    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}
