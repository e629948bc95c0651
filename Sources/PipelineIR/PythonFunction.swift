/// A top-level function of a Python file, as a Python-function component runs it.
package struct PythonFunction: Sendable {
    package struct Parameter: Sendable, Equatable {
        package var name: String
        package var hasDefault: Bool

        package init(name: String, hasDefault: Bool) {
            self.name = name
            self.hasDefault = hasDefault
        }
    }

    package var name: String
    /// The definition, one `\n` after each line.
    package var source: String
    /// 1-based line of the `def`.
    package var line: Int
    /// Named parameters (not `*args`, `**kwargs` or the `/` and `*` markers).
    package var parameters: [Parameter]

    package init(name: String, source: String, line: Int, parameters: [Parameter]) {
        self.name = name
        self.source = source
        self.line = line
        self.parameters = parameters
    }
}
