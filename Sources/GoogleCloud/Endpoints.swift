/// Where each API is reached: Google's endpoints, or emulators and loopback servers named by
/// the variables gcloud and the client libraries read.
public struct Endpoints: Sendable, Equatable {
    /// Cloud Storage JSON API root (`STORAGE_EMULATOR_HOST`).
    public var storage: String
    /// Cloud Scheduler root, ending in `/` (`CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER`).
    public var scheduler: String
    /// Vertex AI root, ending in `/`, or `nil` for the regional endpoint of each location
    /// (`CLOUDSDK_API_ENDPOINT_OVERRIDES_AIPLATFORM`).
    public var aiPlatform: String?

    public init(environment: [String: String]) {
        func root(_ value: String?) -> String? {
            guard let value, !value.isEmpty else { return nil }
            let url = value.contains("://") ? value : "http://\(value)"
            return url.hasSuffix("/") ? url : url + "/"
        }
        var storage = root(environment["STORAGE_EMULATOR_HOST"]) ?? "https://storage.googleapis.com/"
        storage.removeLast()
        self.storage = storage
        scheduler = root(environment["CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER"]) ?? "https://cloudscheduler.googleapis.com/"
        aiPlatform = root(environment["CLOUDSDK_API_ENDPOINT_OVERRIDES_AIPLATFORM"])
    }

    /// The Vertex AI root for `location` (`us-central1-aiplatform.googleapis.com`).
    public func aiPlatform(location: String) -> String {
        aiPlatform ?? "https://\(location)-aiplatform.googleapis.com/"
    }

    /// The location in a resource name `projects/P/locations/L/...`.
    static func location(in name: String) -> String {
        let parts = name.split(separator: "/")
        guard let index = parts.firstIndex(of: "locations"), index + 1 < parts.count else { return "us-central1" }
        return String(parts[index + 1])
    }
}
