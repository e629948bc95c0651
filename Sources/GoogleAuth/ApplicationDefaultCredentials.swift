import HTTP
import JSON
import YAML

/// Finds credentials the way Google's client libraries do (Application Default Credentials),
/// with the Terraform google provider's `GOOGLE_OAUTH_ACCESS_TOKEN` first:
///
/// 1. `GOOGLE_OAUTH_ACCESS_TOKEN`: an access token, used as it is;
/// 2. `GOOGLE_APPLICATION_CREDENTIALS`: a service-account key or an authorized-user file;
/// 3. the gcloud application-default file (`~/.config/gcloud/application_default_credentials.json`);
/// 4. the metadata server of the machine (GCE, GKE, Cloud Run, Cloud Build), at
///    `GCE_METADATA_HOST` when set.
public enum ApplicationDefaultCredentials {
    public static func provider(
        environment: [String: String],
        readFile: (String) -> [UInt8]?,
        transport: any HTTPTransport,
        metadataTransport: (any HTTPTransport)? = nil
    ) throws(AuthFailure) -> any AccessTokenProvider {
        if let token = environment["GOOGLE_OAUTH_ACCESS_TOKEN"], !token.isEmpty {
            return StaticTokenProvider(token: token, source: "GOOGLE_OAUTH_ACCESS_TOKEN")
        }
        if let path = environment["GOOGLE_APPLICATION_CREDENTIALS"], !path.isEmpty {
            guard let bytes = readFile(path) else {
                throw AuthFailure("cannot read GOOGLE_APPLICATION_CREDENTIALS file \(path)")
            }
            return try fileProvider(bytes, path: path, transport: transport)
        }
        if let home = environment["HOME"], !home.isEmpty {
            let path = (environment["CLOUDSDK_CONFIG"] ?? home + "/.config/gcloud") + "/application_default_credentials.json"
            if let bytes = readFile(path) { return try fileProvider(bytes, path: path, transport: transport) }
        }
        // Off Google Cloud the metadata address does not answer: the caller's
        // `metadataTransport` should give up quickly.
        let host = environment["GCE_METADATA_HOST"] ?? MetadataServer.defaultHost
        return MetadataServer(host: host, transport: metadataTransport ?? transport).provider()
    }

    /// A credentials file, by its `type`.
    static func fileProvider(_ bytes: [UInt8], path: String, transport: any HTTPTransport) throws(AuthFailure) -> any AccessTokenProvider {
        // The file holds secrets: parse errors must not quote it, so they go nowhere.
        guard let file = JSONReader.value(of: bytes)?.objectValue else {
            throw AuthFailure("credentials file \(path) is not a JSON object")
        }
        switch file["type"]?.stringValue {
        case "service_account":
            let key = try ServiceAccountKey(file, path: path)
            return CachingTokenProvider(source: "service account \(key.clientEmail) (\(path))") { () throws(AuthFailure) in
                try key.accessToken(transport: transport)
            }
        case "authorized_user":
            let user = try AuthorizedUser(file, path: path)
            return CachingTokenProvider(source: "authorized user (\(path))") { () throws(AuthFailure) in
                try user.accessToken(transport: transport)
            }
        case let type?:
            throw AuthFailure("credentials file \(path) has type '\(type)'; pipespec reads 'service_account' and 'authorized_user'")
        case nil:
            throw AuthFailure("credentials file \(path) has no 'type'")
        }
    }
}

/// A user's refresh token (`gcloud auth application-default login`), exchanged for an
/// access token.
struct AuthorizedUser: Sendable {
    let clientID: String
    let clientSecret: String
    let refreshToken: String
    let tokenURI: String

    init(_ file: JSONObject, path: String) throws(AuthFailure) {
        guard let clientID = file["client_id"]?.stringValue, let clientSecret = file["client_secret"]?.stringValue,
              let refreshToken = file["refresh_token"]?.stringValue
        else { throw AuthFailure("authorized-user file \(path) lacks client_id, client_secret or refresh_token") }
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        tokenURI = file["token_uri"]?.stringValue ?? "https://oauth2.googleapis.com/token"
    }

    func accessToken(transport: any HTTPTransport) throws(AuthFailure) -> String {
        try TokenEndpoint.exchange(
            [("grant_type", "refresh_token"), ("client_id", clientID), ("client_secret", clientSecret), ("refresh_token", refreshToken)],
            at: tokenURI, transport: transport
        )
    }
}

/// The metadata server's token for the machine's service account.
struct MetadataServer: Sendable {
    static let defaultHost = "169.254.169.254"
    let host: String
    let transport: any HTTPTransport

    func provider() -> any AccessTokenProvider {
        let url = "http://\(host)/computeMetadata/v1/instance/service-accounts/default/token"
        let transport = self.transport
        return CachingTokenProvider(source: "the metadata server at \(host)") { () throws(AuthFailure) in
            let response: HTTPResponse
            do {
                response = try transport.send(HTTPRequest(method: "GET", url: url, headers: [("Metadata-Flavor", "Google")]))
            } catch {
                throw AuthFailure(
                    "no credentials: GOOGLE_OAUTH_ACCESS_TOKEN and GOOGLE_APPLICATION_CREDENTIALS are not set and the metadata server at \(host) cannot be reached (\(error))"
                )
            }
            return try TokenEndpoint.accessToken(in: response, from: "the metadata server at \(host)")
        }
    }
}
