#!/usr/bin/env node
// The installed entry: the built CLI. In the workspace, `pnpm exec confidant` runs this too.
import('../dist/main.js');
