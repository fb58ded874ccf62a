print("sandbox-agent: under construction")
