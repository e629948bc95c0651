import HTTP
import JSON
import YAML

/// The OAuth 2.0 token exchange: a form POSTed to a token URI, answered with
/// `{"access_token": …}`. Errors carry the endpoint's `error` code, never the request.
enum TokenEndpoint {
    static let cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

    static func exchange(_ form: [(String, String)], at tokenURI: String, transport: any HTTPTransport) throws(AuthFailure) -> String {
        let body = form.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(
            method: "POST", url: tokenURI,
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(body.utf8)
        )
        let response: HTTPResponse
        do { response = try transport.send(request) } catch { throw AuthFailure("cannot reach the token endpoint: \(error)") }
        return try accessToken(in: response, from: "the token endpoint \(tokenURI)")
    }

    /// The `access_token` of a token response; `origin` names the endpoint in errors.
    static func accessToken(in response: HTTPResponse, from origin: String) throws(AuthFailure) -> String {
        let json = JSONReader.value(of: response.body)
        guard response.isSuccess else {
            var reason = "HTTP \(response.status)"
            if case .object(let object)? = json, case .string(let code)? = object["error"] { reason += " (\(code))" }
            throw AuthFailure("\(origin) refused to issue a token: \(reason)")
        }
        guard case .object(let object)? = json, case .string(let token)? = object["access_token"], !token.isEmpty else {
            throw AuthFailure("\(origin) answered without an access_token")
        }
        return token
    }
}
