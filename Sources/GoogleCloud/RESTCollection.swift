import DeployEngine
import JSON

/// A REST collection of Cloud Scheduler jobs or Vertex AI schedules: the standard methods
/// (list, create, patch with an update mask, delete) and the custom `:pause` / `:resume`.
public struct RESTCollection: ResourceCollection {
    public enum Service: Sendable {
        case cloudScheduler, vertexAI

        var collection: String { self == .cloudScheduler ? "jobs" : "schedules" }
    }

    let api: APIClient
    let endpoints: Endpoints
    let service: Service

    init(api: APIClient, endpoints: Endpoints, service: Service) {
        self.api = api
        self.endpoints = endpoints
        self.service = service
    }

    private func url(_ path: String) -> String {
        let root = service == .cloudScheduler ? endpoints.scheduler : endpoints.aiPlatform(location: Endpoints.location(in: path))
        return root + "v1/" + path
    }

    public func list(parent: String) throws(CloudError) -> [JSONObject] {
        try api.list(url("\(parent)/\(service.collection)") + "?pageSize=100", items: service.collection)
    }

    public func create(parent: String, body: JSONObject) throws(CloudError) -> JSONObject {
        try api.send("POST", url("\(parent)/\(service.collection)"), json: body)
    }

    public func patch(name: String, body: JSONObject, updateMask: [String]) throws(CloudError) -> JSONObject {
        try api.send("PATCH", url(name) + "?updateMask=" + updateMask.joined(separator: ","), json: body)
    }

    public func delete(name: String) throws(CloudError) {
        _ = try api.send("DELETE", url(name))
    }

    public func pause(name: String) throws(CloudError) {
        _ = try api.send("POST", url(name + ":pause"), json: JSONObject())
    }

    public func resume(name: String) throws(CloudError) {
        _ = try api.send("POST", url(name + ":resume"), json: JSONObject())
    }
}

/// Vertex AI `pipelineJobs.create`, for `pipespec run`.
public struct PipelineJobsClient: PipelineJobSubmitter {
    let api: APIClient
    let endpoints: Endpoints

    public func submit(parent: String, job: JSONObject) throws(CloudError) -> JSONObject {
        try api.send("POST", endpoints.aiPlatform(location: Endpoints.location(in: parent)) + "v1/\(parent)/pipelineJobs", json: job)
    }
}
