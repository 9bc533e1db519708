"""The Slack bot (`agreements slack`): a front end over the facade, like the chat."""
