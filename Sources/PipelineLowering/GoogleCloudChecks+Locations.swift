import Diagnostics
import PipelineConfig

// Where jobs run: regions (and BigQuery's multi-regions), VPC networks.
extension GoogleCloudChecks {
    /// A region such as `us-central1` or `europe-west4`; BigQuery also takes the
    /// multi-regions `US` and `EU`, in any case.
    func checkLocation(_ template: Template, allowsMultiRegions: Bool) {
        guard let text = template.constantText else { return }
        if allowsMultiRegions, ["us", "eu"].contains(text.lowercased()) { return }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let isRegion = parts.count == 2 && parts[0].allSatisfy { $0.isASCII && $0.isLowercase }
            && parts[1].first.map { $0.isASCII && $0.isLowercase } == true
            && parts[1].last.map(\.isNumber) == true
            && parts[1].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        guard !isRegion else { return }
        let expected = allowsMultiRegions ? "a BigQuery location: US, EU or a region such as us-central1" : "a Google Cloud region such as us-central1"
        diagnostics.error(.invalidLocation, "location '\(text)' is not \(expected)", at: template.location)
    }

    /// `projects/PROJECT/global/networks/NETWORK`; an empty one peers with none.
    func checkNetwork(_ template: Template) {
        guard let text = template.constantText, !text.isEmpty else { return }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count != 5 || parts[0] != "projects" || parts[2] != "global" || parts[3] != "networks" || parts[1].isEmpty || parts[4].isEmpty else { return }
        diagnostics.error(.invalidNetwork, "network '\(text)' must be the full name projects/PROJECT_NUMBER/global/networks/NETWORK", at: template.location)
    }
}

extension DiagnosticID {
    static let invalidLocation = DiagnosticID("invalid-location")
    static let invalidNetwork = DiagnosticID("invalid-network")
}
