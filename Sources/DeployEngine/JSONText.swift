import Diagnostics
import JSON
import YAML

/// JSON text to a value, for bodies and saved plans.
enum JSONText {
    static func parse(_ bytes: [UInt8], file: String = "JSON", diagnostics: DiagnosticEngine = DiagnosticEngine()) -> JSONValue? {
        JSONReader().read(bytes, file: file, diagnostics: diagnostics)?.json
    }
}
