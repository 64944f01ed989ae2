// PioneerConfig: see Package.swift; contents arrive with the module's first issue.
