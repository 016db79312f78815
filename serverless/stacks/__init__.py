"""CDK stacks of the serverless front door."""
