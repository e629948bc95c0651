import DeployConfig
import PipeSpecCompiler

/// Why a plan or apply could not go on. Messages name resources, never credentials.
public struct DeployFailure: Error, Sendable, CustomStringConvertible {
    public var messages: [String]

    public init(_ messages: [String]) {
        self.messages = messages
    }

    public var description: String { messages.joined(separator: "\n") }
}

/// Plans and applies: desired state against live state, through the client interfaces of
/// `CloudClients` (the engine knows nothing of HTTP).
public struct DeployEngine: Sendable {
    let handlers: [ResourceKind: any ResourceKindHandler]
    let owner: String
    /// Calls in flight at once.
    let parallelism: Int
    /// Now, as `2027-01-04T09:00:00Z`.
    let now: String

    public init(clients: CloudClients, owner: String, parallelism: Int = 10, now: String) {
        let handlers: [any ResourceKindHandler] = [
            TemplateObjectHandler(storage: clients.storage),
            SchedulerJobHandler(jobs: clients.schedulerJobs),
            VertexScheduleHandler(schedules: clients.vertexSchedules),
        ]
        self.handlers = Dictionary(uniqueKeysWithValues: handlers.map { ($0.kind, $0) })
        self.owner = owner
        self.parallelism = max(1, parallelism)
        self.now = now
    }

    /// Where each environment's resources are listed.
    public static func scopes(of environments: [Environment]) -> [ResourceScope] {
        environments.flatMap { environment in
            [
                ResourceScope(kind: .templateObject, path: environment.templates.path),
                ResourceScope(kind: .schedulerJob, path: environment.parent),
                ResourceScope(kind: .vertexSchedule, path: environment.parent),
            ]
        }
    }

    /// Reads the live state of `environments` and works out every change.
    public func plan(desired: [DesiredResource], environments: [Environment]) throws(DeployFailure) -> Plan {
        let names = Set(environments.map(\.name))
        let scopes = Array(Set(Self.scopes(of: environments) + desired.map(\.scope))).sorted()
        let snapshot = try read(scopes, environments: names)

        var problems: [String] = []
        for resource in desired where snapshot.foreign.contains(resource.name) {
            problems.append("\(resource.name) exists and was not created by this configuration (owner \(owner)); pipespec leaves it alone: rename the schedule or delete the resource")
        }
        if !problems.isEmpty { throw DeployFailure(problems) }

        struct Key: Hashable { var kind: ResourceKind; var address: ResourceAddress }
        var live: [Key: [LiveResource]] = [:]
        for resource in snapshot.owned { live[Key(kind: resource.kind, address: resource.address), default: []].append(resource) }
        var changes: [PlannedChange] = []
        for resource in desired {
            let handler = handlers[resource.kind]!
            var matches = live.removeValue(forKey: Key(kind: resource.kind, address: resource.address)) ?? []
            // Two live resources for one address (an interrupted replace): keep the first, delete the rest.
            matches.sort { $0.name < $1.name }
            changes.append(handler.change(from: matches.first, to: resource, now: now))
            changes += matches.dropFirst().map { handler.change(from: $0, to: nil, now: now) }
        }
        for resource in live.values.joined() {
            changes.append(handlers[resource.kind]!.change(from: resource, to: nil, now: now))
        }
        changes.sort { ($0.address, $0.kind, $0.name) < ($1.address, $1.kind, $1.name) }
        return Plan(
            owner: owner, environments: environments.map(\.name), changes: changes,
            observed: snapshot.observations, scopes: scopes
        )
    }

    struct Snapshot {
        var owned: [LiveResource]
        var foreign: Set<String>

        var observations: [Observation] {
            owned.map { Observation(kind: $0.kind, name: $0.name, version: $0.version) }.sorted()
        }
    }

    /// One list per scope, in parallel; resources of other environments are left out.
    func read(_ scopes: [ResourceScope], environments: Set<String>) throws(DeployFailure) -> Snapshot {
        let owner = self.owner
        let handlers = self.handlers
        let results = BoundedParallelism.map(scopes, limit: parallelism) { scope in
            Result { () throws(CloudError) in try handlers[scope.kind]!.read(scope, owner: owner) }
                .mapError { DeployFailure(["cannot read \(scope): \($0)"]) }
        }
        var snapshot = Snapshot(owned: [], foreign: [])
        var problems: [String] = []
        for result in results {
            switch result {
            case .success(let read):
                snapshot.owned += read.owned.filter { environments.contains($0.address.environment) }
                snapshot.foreign.formUnion(read.foreign)
            case .failure(let failure):
                problems += failure.messages
            }
        }
        if !problems.isEmpty { throw DeployFailure(problems) }
        return snapshot
    }
}
