import type { Command } from 'commander';
import { action } from '../action.js';
import { CliError } from '../output.js';

type Node = { path: string[]; commands: string[]; options: string[] };

/** Every command of the tree, with its subcommand names and option flags. */
function walk(command: Command, path: string[] = []): Node[] {
  const options = [...command.options.flatMap((option) => [option.long, option.short]), '--help'].filter(
    (flag): flag is string => typeof flag === 'string',
  );
  const here: Node = { path, commands: command.commands.map((sub) => sub.name()), options };
  return [here, ...command.commands.flatMap((sub) => walk(sub, [...path, sub.name()]))];
}

function bash(nodes: Node[], globals: string[]): string {
  const cases = nodes
    .map((node) => `    "${node.path.join(' ')}") words="${[...node.commands, ...node.options, ...globals].join(' ')}" ;;`)
    .join('\n');
  return `# confidant completion for bash: eval "$(confidant completion bash)"
_confidant() {
  local cur path="" word i words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    case "$path\${path:+ }$word" in
${nodes
  .filter((n) => n.path.length > 0)
  .map((n) => `      "${n.path.join(' ')}") path="${n.path.join(' ')}" ;;`)
  .join('\n')}
    esac
  done
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _confidant confidant
`;
}

function zsh(nodes: Node[], globals: string[]): string {
  return `#compdef confidant
# confidant completion for zsh: eval "$(confidant completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bash(nodes, globals).replace(/^# .*\n/, '')}`;
}

/** `confidant completion bash|zsh`: a script completing command names and options, from the program tree. */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(confidant completion bash)"')
    .argument('<shell>', 'bash or zsh')
    .action(
      action<[string]>(async ({ output }, shell) => {
        const globals = program.options
          .flatMap((option) => [option.long, option.short])
          .filter((flag): flag is string => typeof flag === 'string');
        const nodes = walk(program).map((node) => (node.path.length === 0 ? node : { ...node, options: node.options }));
        if (shell !== 'bash' && shell !== 'zsh')
          throw new CliError(`no completion for "${shell}"`, 'Use `confidant completion bash` or `confidant completion zsh`.');
        const script = shell === 'bash' ? bash(nodes, globals) : zsh(nodes, globals);
        if (output.json) output.result({ shell, script });
        else process.stdout.write(script);
      }),
    );
}
