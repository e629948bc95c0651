import ArgumentParser
import Diagnostics
import PipeSpecCompiler

struct BuiltinsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "builtins",
        abstract: "List the built-in components, or show one's inputs and outputs.",
        discussion: "Without a name, prints one name a line. A built-in is used as `uses: NAME`."
    )

    @Argument(help: "A built-in component, such as dataproc/pyspark-batch.")
    var name: String?

    func run() throws {
        guard let name else {
            Builtins.names.forEach { print($0) }
            return
        }
        guard let interface = Builtins.interface(name) else {
            throw ValidationError("no built-in component '\(name)'\(Suggestions.didYouMean(name, in: Builtins.names)); pipespec builtins lists them")
        }
        print(Self.render(interface), terminator: "")
    }

    /// The interface as aligned columns: name, type, then required / default / optional.
    static func render(_ interface: BuiltinInterface) -> String {
        var text = interface.name + "\n"
        for (title, ports) in [("inputs", interface.inputs), ("outputs", interface.outputs)] where !ports.isEmpty {
            text += "\n\(title):\n"
            let nameWidth = ports.map(\.name.count).max() ?? 0
            let typeWidth = ports.map(\.type.count).max() ?? 0
            for port in ports {
                var line = "  " + port.name.padded(to: nameWidth) + "  " + port.type.padded(to: typeWidth)
                if title == "inputs" {
                    line += "  " + (port.defaultValue.map { "default \($0)" } ?? (port.isOptional ? "optional" : "required"))
                }
                text += line.trimmingTrailingSpaces() + "\n"
            }
        }
        return text
    }
}

private extension String {
    func padded(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }

    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
