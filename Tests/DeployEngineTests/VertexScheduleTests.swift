import DeployEngine
import JSON
import Testing

@Suite struct VertexScheduleTests {
    func schedule(_ extra: String = "") -> String {
        """
              nightly:
                cron: "0 2 * * *"
                target: vertex-schedule
                environments: [dev]
        """ + extra
    }

    @Test func createsAScheduleWithZoneInTheCron() throws {
        let deployment = DeployFixture()
        let plan = try deployment.plan(helloConfig(schedules: schedule("\n        time_zone: Europe/Berlin\n        max_concurrent_runs: 3")), environments: ["dev"])
        try deployment.apply(plan)
        let created = try #require(deployment.cloud.schedules.values.first)
        #expect(created["cron"] == "TZ=Europe/Berlin 0 2 * * *")
        #expect(created["maxConcurrentRunCount"] == "3")
        #expect(created[path: "createPipelineJobRequest.parent"] == "projects/acme-dev/locations/us-central1")
        #expect(created[path: "createPipelineJobRequest.pipelineJob.labels.pipespec-schedule"] == "nightly")
        #expect(!(try deployment.plan(helloConfig(schedules: schedule("\n        time_zone: Europe/Berlin\n        max_concurrent_runs: 3")), environments: ["dev"])).hasChanges)
    }

    @Test func clearingAFieldReplacesTheSchedule() throws {
        let deployment = DeployFixture()
        try deployment.apply(try deployment.plan(helloConfig(schedules: schedule("\n        end_time: 2027-06-01T00:00:00Z")), environments: ["dev"]))
        let old = try #require(deployment.cloud.schedules.keys.first)
        let plan = try deployment.plan(helloConfig(schedules: schedule()), environments: ["dev"])
        let replace = try #require(plan.changes.first { $0.kind == .vertexSchedule })
        #expect(replace.action == .replace)
        #expect(replace.reason?.contains("endTime") == true)
        try deployment.apply(plan)
        #expect(deployment.cloud.schedules.count == 1)
        #expect(deployment.cloud.schedules[old] == nil)
    }

    @Test func updatesInPlaceWithAMask() throws {
        let deployment = DeployFixture()
        try deployment.apply(try deployment.plan(helloConfig(schedules: schedule()), environments: ["dev"]))
        let plan = try deployment.plan(helloConfig(schedules: schedule("\n        max_runs: 5")), environments: ["dev"])
        let update = try #require(plan.changes.first { $0.kind == .vertexSchedule })
        #expect(update.action == .update)
        #expect(update.updateMask == ["maxRunCount"])
        #expect(update.notes.contains { $0.contains("skips runs") })
    }

    @Test func aStartTimeInThePastIsNotSent() throws {
        let deployment = DeployFixture()
        let plan = try deployment.plan(helloConfig(schedules: schedule("\n        start_time: 2026-01-01T00:00:00Z")), environments: ["dev"])
        let create = try #require(plan.changes.first { $0.kind == .vertexSchedule })
        #expect(create.body?["startTime"] == nil)
        #expect(create.notes.contains { $0.contains("catch up") })
        let future = try deployment.plan(helloConfig(schedules: schedule("\n        start_time: 2027-01-01T00:00:00Z")), environments: ["dev"])
        #expect(future.changes.first { $0.kind == .vertexSchedule }?.body?["startTime"] == "2027-01-01T00:00:00Z")
    }

    @Test func switchingTargetCreatesTheNewKindAndDeletesTheOld() throws {
        let deployment = DeployFixture()
        try deployment.apply(try deployment.plan(helloConfig(schedules: schedule()), environments: ["dev"]))
        let plan = try deployment.plan(helloConfig(schedules: schedule().replacingOccurrences(of: "vertex-schedule", with: "cloud-scheduler")), environments: ["dev"])
        #expect(plan.summary == [
            "no-op dev/hello/template gcs-object", "create dev/hello/schedule/nightly cloud-scheduler-job", "delete dev/hello/schedule/nightly vertex-schedule",
        ])
    }
}
