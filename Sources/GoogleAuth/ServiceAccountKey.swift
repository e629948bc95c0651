#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import CryptoExtras
import HTTP
import JSON

/// A service-account key file: a JWT signed RS256 with the key, exchanged at the key's
/// `token_uri` for an access token (Google's two-legged OAuth flow).
struct ServiceAccountKey: Sendable {
    let clientEmail: String
    let privateKeyID: String?
    let tokenURI: String
    private let privateKey: _RSA.Signing.PrivateKey

    init(_ file: JSONObject, path: String) throws(AuthFailure) {
        guard case .string(let email)? = file["client_email"], case .string(let pem)? = file["private_key"] else {
            throw AuthFailure("service account key \(path) lacks client_email or private_key")
        }
        do {
            privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw AuthFailure("service account key \(path): private_key is not an RSA private key in PEM form")
        }
        clientEmail = email
        if case .string(let id)? = file["private_key_id"] { privateKeyID = id } else { privateKeyID = nil }
        if case .string(let uri)? = file["token_uri"] { tokenURI = uri } else { tokenURI = "https://oauth2.googleapis.com/token" }
    }

    func accessToken(transport: any HTTPTransport, now: Int = time(nil)) throws(AuthFailure) -> String {
        let assertion = try signedAssertion(now: now)
        return try TokenEndpoint.exchange(
            [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)],
            at: tokenURI, transport: transport
        )
    }

    /// `header.claims.signature`, each part base64url without padding.
    func signedAssertion(now: Int) throws(AuthFailure) -> String {
        var header: JSONObject = ["alg": "RS256", "typ": "JWT"]
        if let privateKeyID { header["kid"] = .string(privateKeyID) }
        let claims: JSONObject = [
            "iss": .string(clientEmail), "scope": .string(TokenEndpoint.cloudPlatformScope),
            "aud": .string(tokenURI), "iat": .int(now), "exp": .int(now + 3600),
        ]
        let signingInput = Base64.encode(JSONWriter.compactBytes(.object(header)), urlSafe: true)
            + "." + Base64.encode(JSONWriter.compactBytes(.object(claims)), urlSafe: true)
        do {
            let signature = try privateKey.signature(for: SHA256.hash(data: Array(signingInput.utf8)), padding: .insecurePKCS1v1_5)
            return signingInput + "." + Base64.encode(signature.rawRepresentation, urlSafe: true)
        } catch {
            throw AuthFailure("cannot sign with the service account key of \(clientEmail)")
        }
    }
}
