import DeployEngine
import GoogleAuth
import HTTP

/// The engine's clients on Google's REST APIs, sharing one transport and one token.
public enum GoogleCloud {
    public static func clients(transport: any HTTPTransport, credentials: any AccessTokenProvider, endpoints: Endpoints) -> CloudClients {
        let api = APIClient(transport: transport, credentials: credentials)
        return CloudClients(
            storage: CloudStorageClient(api: api, endpoints: endpoints),
            schedulerJobs: RESTCollection(api: api, endpoints: endpoints, service: .cloudScheduler),
            vertexSchedules: RESTCollection(api: api, endpoints: endpoints, service: .vertexAI)
        )
    }

    public static func pipelineJobs(transport: any HTTPTransport, credentials: any AccessTokenProvider, endpoints: Endpoints) -> any PipelineJobSubmitter {
        PipelineJobsClient(api: APIClient(transport: transport, credentials: credentials), endpoints: endpoints)
    }
}
