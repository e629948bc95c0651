import DeployEngine
import HTTP
import JSON

/// Cloud Storage's JSON API: list, multipart upload with `ifGenerationMatch`, delete.
public struct CloudStorageClient: ObjectStore {
    let api: APIClient
    let root: String

    init(api: APIClient, endpoints: Endpoints) {
        self.api = api
        root = endpoints.storage
    }

    public func list(bucket: String, prefix: String) throws(CloudError) -> [StoredObject] {
        let url = "\(root)/storage/v1/b/\(PercentEncoding.encode(bucket))/o?prefix=\(PercentEncoding.encode(prefix))"
            + "&fields=\(PercentEncoding.encode("items(name,generation,metadata),nextPageToken"))"
        do {
            return try api.list(url, items: "items").map { Self.object($0, bucket: bucket) }
        } catch where error.isNotFound {
            throw CloudError(status: 404, message: "bucket gs://\(bucket) does not exist")
        }
    }

    public func upload(
        bucket: String, name: String, bytes: [UInt8], contentType: String, metadata: [String: String], ifGenerationMatch: String
    ) throws(CloudError) -> StoredObject {
        let resource: JSONObject = [
            "name": .string(name),
            "contentType": .string(contentType),
            "metadata": .object(JSONObject(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]
        // multipart/related: the object's metadata, then its bytes.
        let boundary = "pipespec-" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
        var body = Array("--\(boundary)\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".utf8)
        body += JSONWriter.compactBytes(.object(resource))
        body += Array("\r\n--\(boundary)\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
        body += bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let url = "\(root)/upload/storage/v1/b/\(PercentEncoding.encode(bucket))/o?uploadType=multipart&ifGenerationMatch=\(ifGenerationMatch)"
        let answer = try api.send("POST", url, body: body, contentType: "multipart/related; boundary=\(boundary)")
        return Self.object(answer, bucket: bucket)
    }

    public func delete(bucket: String, name: String, ifGenerationMatch: String) throws(CloudError) {
        let url = "\(root)/storage/v1/b/\(PercentEncoding.encode(bucket))/o/\(PercentEncoding.encode(name))?ifGenerationMatch=\(ifGenerationMatch)"
        _ = try api.send("DELETE", url)
    }

    static func object(_ json: JSONObject, bucket: String) -> StoredObject {
        var metadata: [String: String] = [:]
        for (key, value) in json["metadata"]?.objectValue?.members ?? [] { metadata[key] = value.stringValue }
        let generation: String
        switch json["generation"] {
        case .string(let text)?: generation = text
        case .int(let number)?: generation = String(number)
        default: generation = ""
        }
        return StoredObject(bucket: bucket, name: json["name"]?.stringValue ?? "", generation: generation, metadata: metadata)
    }
}
