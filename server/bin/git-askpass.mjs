#!/usr/bin/env node
// GIT_ASKPASS for the designer's git commands: answers git's prompts from the environment of that one
// command, so a token never lands in a URL, a config file or a credential store.
const prompt = process.argv[2] ?? '';
const answer = /username/i.test(prompt) ? process.env.DESIGNER_GIT_USERNAME : process.env.DESIGNER_GIT_TOKEN;
process.stdout.write(`${answer ?? ''}\n`);
