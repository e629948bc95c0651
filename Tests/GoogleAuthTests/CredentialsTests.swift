import Crypto
import CryptoExtras
@testable import GoogleAuth
import HTTP
import JSON
import Synchronization
import Testing

/// A token endpoint in memory: checks the request and answers with a token.
final class TokenEndpointStub: HTTPTransport {
    let requests = Mutex<[HTTPRequest]>([])
    let status: Int

    init(status: Int = 200) {
        self.status = status
    }

    func send(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse {
        requests.withLock { $0.append(request) }
        let body = status == 200 ? #"{"access_token":"issued-token","expires_in":3600,"token_type":"Bearer"}"# : #"{"error":"invalid_grant"}"#
        return HTTPResponse(status: status, body: Array(body.utf8))
    }

    /// The form fields of the last request.
    var form: [String: String] {
        let body = requests.withLock { $0.last?.body } ?? []
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            fields[parts[0]] = parts.count > 1 ? parts[1].removingPercentEncodingForTests : ""
        }
        return fields
    }
}

extension String {
    var removingPercentEncodingForTests: String {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

@Suite struct CredentialsTests {
    @Test func anAccessTokenInTheEnvironmentComesFirst() throws {
        let provider = try ApplicationDefaultCredentials.provider(
            environment: ["GOOGLE_OAUTH_ACCESS_TOKEN": "tok", "GOOGLE_APPLICATION_CREDENTIALS": "/nonexistent"],
            readFile: { _ in nil }, transport: TokenEndpointStub()
        )
        #expect(try provider.accessToken() == "tok")
        #expect(provider.source == "GOOGLE_OAUTH_ACCESS_TOKEN")
    }

    @Test func aServiceAccountKeySignsAJWTTheEndpointCanVerify() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let file: JSONObject = [
            "type": "service_account", "client_email": "deployer@acme.iam.gserviceaccount.com",
            "private_key": .string(key.pemRepresentation), "private_key_id": "k1", "token_uri": "http://127.0.0.1:9/token",
        ]
        let endpoint = TokenEndpointStub()
        let provider = try ApplicationDefaultCredentials.provider(
            environment: ["GOOGLE_APPLICATION_CREDENTIALS": "/keys/sa.json"],
            readFile: { $0 == "/keys/sa.json" ? JSONWriter.bytes(.object(file)) : nil }, transport: endpoint
        )
        #expect(try provider.accessToken() == "issued-token")
        #expect(try provider.accessToken() == "issued-token")
        #expect(endpoint.requests.withLock { $0.count } == 1)  // fetched once, then cached
        let form = endpoint.form
        #expect(form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        let parts = try #require(form["assertion"]).split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Base64.decode(parts[2])))
        let signed = Array("\(parts[0]).\(parts[1])".utf8)
        #expect(key.publicKey.isValidSignature(signature, for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5))
        let claims = try #require(Base64.decode(parts[1])).map { Character(Unicode.Scalar($0)) }
        let text = String(claims)
        #expect(text.contains(#""aud":"http://127.0.0.1:9/token""#))
        #expect(text.contains(#""iss":"deployer@acme.iam.gserviceaccount.com""#))
        #expect(text.contains("cloud-platform"))
    }

    @Test func anAuthorizedUserRefreshes() throws {
        let file: JSONObject = ["type": "authorized_user", "client_id": "cid", "client_secret": "shh", "refresh_token": "r1"]
        let endpoint = TokenEndpointStub()
        let provider = try ApplicationDefaultCredentials.fileProvider(JSONWriter.bytes(.object(file)), path: "adc.json", transport: endpoint)
        #expect(try provider.accessToken() == "issued-token")
        #expect(endpoint.form == ["grant_type": "refresh_token", "client_id": "cid", "client_secret": "shh", "refresh_token": "r1"])
        #expect(endpoint.requests.withLock { $0.first?.url } == "https://oauth2.googleapis.com/token")
    }

    @Test func failuresNameTheSourceButNeverTheSecret() throws {
        let file: JSONObject = ["type": "authorized_user", "client_id": "cid", "client_secret": "very-secret", "refresh_token": "refresh-secret"]
        let provider = try ApplicationDefaultCredentials.fileProvider(JSONWriter.bytes(.object(file)), path: "adc.json", transport: TokenEndpointStub(status: 400))
        let failure = try #require(throws: AuthFailure.self) { try provider.accessToken() }
        #expect(failure.description.contains("invalid_grant"))
        #expect(!failure.description.contains("secret"))
        let broken = #"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----"}"#
        let keyFailure = try #require(throws: AuthFailure.self) {
            try ApplicationDefaultCredentials.fileProvider(Array(broken.utf8), path: "sa.json", transport: TokenEndpointStub())
        }
        #expect(!keyFailure.description.contains("not-a-key"))
    }

    @Test func theMetadataServerIsAskedLast() throws {
        let endpoint = TokenEndpointStub()
        let provider = try ApplicationDefaultCredentials.provider(environment: ["GCE_METADATA_HOST": "127.0.0.1:8080"], readFile: { _ in nil }, transport: endpoint)
        #expect(try provider.accessToken() == "issued-token")
        let request = try #require(endpoint.requests.withLock { $0.first })
        #expect(request.url == "http://127.0.0.1:8080/computeMetadata/v1/instance/service-accounts/default/token")
        #expect(request.headers.contains { $0.name == "Metadata-Flavor" && $0.value == "Google" })
    }
}
