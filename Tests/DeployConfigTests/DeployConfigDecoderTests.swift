import DeployConfig
import Diagnostics
import Testing

/// Loads `yaml` as pipespec.yaml and returns the diagnostics, rendered.
func diagnose(_ yaml: String) -> [String] {
    let diagnostics = DiagnosticEngine()
    _ = DeployConfigLoader.load(Array(yaml.utf8), file: "pipespec.yaml", diagnostics: diagnostics)
    return diagnostics.sorted.map(\.description)
}

let environments = """
    environments:
      dev:
        project: acme-dev
        location: us-central1
        service_account: runner@acme-dev.iam.gserviceaccount.com
        pipeline_root: gs://acme-dev/root
        templates: gs://acme-dev/templates
    """

@Suite struct DeployConfigDecoderTests {
    @Test func decodesAFullSchedule() throws {
        let diagnostics = DiagnosticEngine()
        let config = try #require(DeployConfigLoader.load(Array((environments + """

            deployments:
              churn:
                pipeline: pipelines/churn.yaml
                params: {threshold: 0.5}
                env:
                  dev: {params: {threshold: 0.7}, labels: {tier: dev}}
                schedules:
                  weekly:
                    cron: TZ=Europe/Berlin 0 9 * * MON
                    target: {url: "https://example.com/run"}
                    retry: {count: 3, min_backoff: 10s, max_backoff: 2m}
                    attempt_deadline: 10m
                    paused: true
            """).utf8), file: "deploy/pipespec.yaml", diagnostics: diagnostics))
        #expect(diagnostics.diagnostics.isEmpty)
        #expect(config.owner == "pipespec")
        let deployment = try #require(config.deployment("churn"))
        #expect(deployment.pipeline == "deploy/pipelines/churn.yaml")
        #expect(deployment.overrides["dev"]?.labels == [Label(key: "tier", value: "dev")])
        let schedule = try #require(deployment.schedules.first)
        #expect(schedule.cron == "0 9 * * MON")
        #expect(schedule.timeZone == "Europe/Berlin")
        #expect(schedule.target == .url("https://example.com/run", audience: "https://example.com/run"))
        #expect(schedule.retry == Schedule.Retry(count: 3, minBackoff: 10, maxBackoff: 120))
        #expect(schedule.attemptDeadline == 600)
        #expect(schedule.paused)
        #expect(config.environment("dev")?.templates == StoragePrefix("gs://acme-dev/templates"))
    }

    @Test func reportsEachProblemWhereItIs() {
        let problems = diagnose(environments + """

            deployments:
              churn:
                pipeline: churn.yaml
                env:
                  prdo: {params: {x: 1}}
                schedules:
                  weekly:
                    cron: "0 9 * * FUNDAY"
                    time_zone: America/Chicgo
                    target: cloud-scheduler
                    environments: [dve]
                    max_runs: 3
                  nightly:
                    cron: "TZ=UTC 0 1 * * *"
                    time_zone: UTC
                    target: vertex-schedule
                    attempt_deadline: 5m
                    start_time: 2027-02-01T00:00:00Z
                    end_time: 2027-01-01T00:00:00Z
            """)
        #expect(problems == [
            "pipespec.yaml:12:7: error: unknown environment 'prdo'",
            "pipespec.yaml:15:15: error: day of week 'FUNDAY' is not a number from 0 to 7 or a name SUN–SAT",
            "pipespec.yaml:16:20: error: unknown time zone 'America/Chicgo' (did you mean 'America/Chicago'?)",
            "pipespec.yaml:18:24: error: unknown environment 'dve' (did you mean 'dev'?)",
            "pipespec.yaml:19:9: error: 'max_runs' is a setting of a Vertex AI Schedule (target: vertex-schedule); this schedule's target is cloud-scheduler",
            "pipespec.yaml:22:20: error: the time zone is given twice: TZ=UTC in the cron and time_zone UTC; keep one",
            "pipespec.yaml:24:9: error: 'attempt_deadline' is a setting of a Cloud Scheduler job; this schedule's target is vertex-schedule",
            "pipespec.yaml:26:19: error: end_time 2027-01-01T00:00:00Z is not after start_time 2027-02-01T00:00:00Z",
        ])
    }

    @Test func schemaErrorsCarryLocations() {
        let problems = diagnose(environments + """

            deployments:
              churn:
                pipline: churn.yaml
            """)
        #expect(problems.count >= 1)
        #expect(problems.allSatisfy { $0.hasPrefix("pipespec.yaml:1") })
    }

    @Test func attemptDeadlineIsBounded() {
        let problems = diagnose(environments + """

            deployments:
              churn:
                pipeline: churn.yaml
                schedules:
                  s: {cron: "* * * * *", target: cloud-scheduler, attempt_deadline: 2h}
            """)
        #expect(problems == ["pipespec.yaml:12:73: error: attempt_deadline must be from 15s to 30m for an HTTP target, got 2h"])
    }
}
