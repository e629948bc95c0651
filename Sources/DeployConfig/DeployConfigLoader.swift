import Diagnostics
import EmbeddedResources
import SchemaCheck
import YAML

/// Reads `pipespec.yaml`: YAML, then `schemas/deploy.schema.json` (compiled in), then the decoder's checks,
/// all reporting to one `DiagnosticEngine`.
public enum DeployConfigLoader {
    public static func load(_ bytes: [UInt8], file: String, diagnostics: DiagnosticEngine, timeZones: TimeZones = TimeZones()) -> DeployConfig? {
        guard let document = YAMLReader().read(bytes, file: file, diagnostics: diagnostics),
              SchemaValidator(schema: EmbeddedResources.compiledDeploySchema()).validate(document, diagnostics: diagnostics)
        else { return nil }
        return DeployConfigDecoder(diagnostics: diagnostics, timeZones: timeZones).decode(document, file: file)
    }
}
