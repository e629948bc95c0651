import Diagnostics
import JSON
import YAML

/// JSON written inside a string (kfp 1.8 wrote lists and structs so).
enum JSONText {
    static func parse(_ text: String) -> JSONValue? {
        JSONReader().read(Array(text.utf8), file: "<value>", diagnostics: DiagnosticEngine(errorLimit: 0))?.json
    }
}
