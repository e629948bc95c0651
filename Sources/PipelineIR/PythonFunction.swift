/// A top-level function of a Python file, as a Python-function component runs it.
package struct PythonFunction: Sendable {
    package struct Parameter: Sendable, Equatable {
        package var name: String
        /// The annotation as written (`int`, `Input[Dataset]`), if any.
        package var annotation: String?
        /// The default as written (`0.2`, `"x"`, `None`), if any.
        package var defaultText: String?

        package var hasDefault: Bool { defaultText != nil }

        package init(name: String, annotation: String? = nil, defaultText: String? = nil) {
            self.name = name
            self.annotation = annotation
            self.defaultText = defaultText
        }
    }

    package var name: String
    /// The definition, one `\n` after each line.
    package var source: String
    /// 1-based line of the `def`.
    package var line: Int
    /// Named parameters (not `*args`, `**kwargs` or the `/` and `*` markers).
    package var parameters: [Parameter]
    /// The return annotation as written (`float`, `NamedTuple("Outputs", ...)`), if any.
    package var returnAnnotation: String?

    package init(name: String, source: String, line: Int, parameters: [Parameter], returnAnnotation: String? = nil) {
        self.name = name
        self.source = source
        self.line = line
        self.parameters = parameters
        self.returnAnnotation = returnAnnotation
    }
}
