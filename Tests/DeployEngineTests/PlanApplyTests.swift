import DeployEngine
import Diagnostics
import JSON
import Testing

@Suite struct PlanApplyTests {
    let weekly = """
              weekly:
                cron: "0 9 * * MON"
                time_zone: America/Chicago
                target: cloud-scheduler
        """

    @Test func createsTemplatesAndSchedulesThenConverges() throws {
        let deployment = DeployFixture()
        let plan = try deployment.plan(helloConfig(schedules: weekly))
        #expect(plan.summary == [
            "create dev/hello/template gcs-object", "create dev/hello/schedule/weekly cloud-scheduler-job",
            "create prod/hello/template gcs-object", "create prod/hello/schedule/weekly cloud-scheduler-job",
        ])
        try deployment.apply(plan)
        #expect(deployment.cloud.objects.keys.sorted() == ["acme-dev/templates/hello.json", "acme-prod/templates/hello.json"])
        let job = try #require(deployment.cloud.jobs["projects/acme-prod/locations/europe-west4/jobs/hello-weekly"])
        #expect(job[path: "httpTarget.uri"] == "https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west4/pipelineJobs")
        #expect(job[path: "httpTarget.oauthToken.serviceAccountEmail"] == "runner@acme-prod.iam.gserviceaccount.com")
        let body = try #require(job[path: "httpTarget.body"]?.stringValue.flatMap(Base64.decode))
        let pipelineJob = String(decoding: body, as: UTF8.self)
        #expect(pipelineJob.contains(#""gcsOutputDirectory":"gs://acme-prod/root""#))
        #expect(pipelineJob.contains(#""pipespec-owner":"tests""#))

        deployment.cloud.clearCalls()
        let again = try deployment.plan(helloConfig(schedules: weekly))
        #expect(!again.hasChanges)
        try deployment.apply(again)
        #expect(deployment.cloud.mutatingCalls.isEmpty)
        // One list per scope: templates, jobs and schedules in each of two environments.
        #expect(deployment.cloud.calls.count == 6)
    }

    @Test func patchesOnlyTheChangedFields() throws {
        let deployment = DeployFixture()
        try deployment.apply(try deployment.plan(helloConfig(schedules: weekly)))
        let changed = weekly.replacingOccurrences(of: "0 9 * * MON", with: "30 10 * * TUE")
        let plan = try deployment.plan(helloConfig(schedules: changed), environments: ["dev"])
        let update = try #require(plan.changes.first { $0.action == .update })
        #expect(update.updateMask == ["schedule"])
        #expect(update.fields == [FieldChange(path: "schedule", old: "0 9 * * MON", new: "30 10 * * TUE")])
        #expect(plan.changes.filter { $0.kind == .templateObject }.allSatisfy { $0.action == .none })
        deployment.cloud.clearCalls()
        try deployment.apply(plan)
        #expect(deployment.cloud.mutatingCalls.map(\.method) == ["patch"])
        #expect(deployment.cloud.jobs["projects/acme-dev/locations/us-central1/jobs/hello-weekly"]?["schedule"] == "30 10 * * TUE")
    }

    @Test func changedParamsShowInTheJobBodyNotTheTemplate() throws {
        let deployment = DeployFixture()
        try deployment.apply(try deployment.plan(helloConfig(schedules: weekly)))
        let plan = try deployment.plan(helloConfig(schedules: weekly, deploymentExtra: "    params: {recipient: team}"), environments: ["dev"])
        let update = try #require(plan.changes.first { $0.kind == .schedulerJob })
        #expect(update.action == .update)
        #expect(update.fields.contains(FieldChange(path: "httpTarget.body.runtimeConfig.parameterValues", old: nil, new: .object(["recipient": "team"]))))
        #expect(plan.changes.first { $0.kind == .templateObject }?.action == PlannedChange.Action.none)
    }

    @Test func removedScheduleIsDeletedAndForeignJobsLeftAlone() throws {
        let deployment = DeployFixture()
        try deployment.apply(try deployment.plan(helloConfig(schedules: weekly)))
        deployment.cloud.seedJob(["name": "projects/acme-dev/locations/us-central1/jobs/someone-elses", "description": "made by hand", "schedule": "* * * * *"])
        let plan = try deployment.plan(helloConfig(schedules: "      {}"), environments: ["dev"])
        #expect(plan.summary == ["no-op dev/hello/template gcs-object", "delete dev/hello/schedule/weekly cloud-scheduler-job"])
        try deployment.apply(plan)
        #expect(deployment.cloud.jobs.keys.sorted() == [
            "projects/acme-dev/locations/us-central1/jobs/someone-elses", "projects/acme-prod/locations/europe-west4/jobs/hello-weekly",
        ])
    }

    @Test func refusesToTakeOverAJobItDidNotCreate() throws {
        let deployment = DeployFixture()
        deployment.cloud.seedJob(["name": "projects/acme-dev/locations/us-central1/jobs/hello-weekly", "description": "made by hand"])
        #expect(throws: DeployFailure.self) { try deployment.plan(helloConfig(schedules: weekly), environments: ["dev"]) }
    }

    @Test func refusesAStalePlanAndChangesNothing() throws {
        let deployment = DeployFixture()
        try deployment.apply(try deployment.plan(helloConfig(schedules: weekly)))
        let changed = weekly.replacingOccurrences(of: "0 9 * * MON", with: "0 10 * * MON")
        let plan = try deployment.plan(helloConfig(schedules: changed))
        deployment.cloud.edit(job: "projects/acme-dev/locations/us-central1/jobs/hello-weekly") { $0["description"] = .string("edited\n" + ($0["description"]?.stringValue ?? "")) }
        deployment.cloud.clearCalls()
        let failure = try #require(throws: DeployFailure.self) { try deployment.apply(plan, requireFresh: true) }
        #expect(failure.messages.first?.contains("stale") == true)
        #expect(deployment.cloud.mutatingCalls.isEmpty)
    }

    @Test func savedPlanRoundTripsAndAppliesTheSame() throws {
        let deployment = DeployFixture()
        let plan = try deployment.plan(helloConfig(schedules: weekly))
        let saved = JSONWriter.bytes(PlanCodec.encode(plan, includeBodies: true))
        let diagnostics = DiagnosticEngine()
        let decoded = try #require(PlanCodec.decode(saved, file: "plan.json", diagnostics: diagnostics))
        #expect(JSONWriter.bytes(PlanCodec.encode(decoded, includeBodies: true)) == saved)
        try deployment.apply(decoded, requireFresh: true)
        let template = try #require(deployment.cloud.objects["acme-dev/templates/hello.json"])
        #expect(template.metadata["pipespec-sha256"]?.count == 64)
        #expect(!(try deployment.plan(helloConfig(schedules: weekly))).hasChanges)
    }

    @Test func anInterruptedApplyLeavesNoScheduleWithoutItsTemplateAndResumes() throws {
        let deployment = DeployFixture()
        deployment.cloud.fail("upload acme-prod", times: 10)
        let plan = try deployment.plan(helloConfig(schedules: weekly))
        #expect(throws: DeployFailure.self) { try deployment.apply(plan) }
        // The first step failed for prod's template, so no schedule was created anywhere.
        #expect(deployment.cloud.jobs.isEmpty)
        deployment.cloud.fail("upload acme-prod", times: 0)
        try deployment.apply(try deployment.plan(helloConfig(schedules: weekly)))
        #expect(deployment.cloud.jobs.count == 2)
        #expect(!(try deployment.plan(helloConfig(schedules: weekly))).hasChanges)
    }

    @Test func pausedSchedulesArePausedAndResumed() throws {
        let deployment = DeployFixture()
        let paused = weekly + "\n        paused: true"
        try deployment.apply(try deployment.plan(helloConfig(schedules: paused), environments: ["dev"]))
        #expect(deployment.cloud.jobs.values.first?["state"] == "PAUSED")
        deployment.cloud.clearCalls()
        let plan = try deployment.plan(helloConfig(schedules: weekly), environments: ["dev"])
        let update = try #require(plan.changes.first { $0.action == .update })
        #expect(update.updateMask.isEmpty && update.pauseChanges)
        try deployment.apply(plan)
        #expect(deployment.cloud.mutatingCalls.map(\.method) == ["resume"])
    }
}

@Suite struct DesiredStateTests {
    @Test func requiredParamsNeedAValueInEveryEnvironmentEvenUnscheduled() {
        let config = helloConfig(schedules: "      {}").replacingOccurrences(of: "examples/hello-container.yaml", with: "examples/typed-params.yaml")
        #expect {
            try DeployFixture().plan(config)
        } throws: { error in
            "\(error)".contains("deployment 'hello' has no value for required param")
        }
    }

    @Test func valuesAreCheckedAgainstTheParamTypesWhereTheyAreWritten() {
        let config = helloConfig(schedules: "      {}", deploymentExtra: "    params: {recipient: 3}")
        #expect {
            try DeployFixture().plan(config)
        } throws: { error in
            "\(error)".contains("pipespec.yaml:") && "\(error)".contains("param 'recipient' is a string, got an integer")
        }
    }
}
