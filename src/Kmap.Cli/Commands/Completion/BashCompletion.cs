using System.CommandLine;
using System.Text;

namespace Kmap.Cli.Commands.Completion;

/// <summary>
/// The bash completion script: a table from command path to the words that may follow, generated from
/// the parser, and context names asked from `kmap config list --names` when --context wants a value.
/// </summary>
internal static class BashCompletion
{
    public static string Script(Command root)
    {
        var nodes = CommandNode.Walk(root);
        var text = new StringBuilder();
        text.Append("""
            # kmap bash completion. Load it with:  source <(kmap completion bash)
            # or install it:  kmap completion bash > ~/.local/share/bash-completion/completions/kmap
            _kmap_words() {
              case "$1" in

            """);
        foreach (var node in nodes)
        {
            var words = node.Subcommands.Select(c => c.Name)
                .Concat(node.Options.SelectMany(CommandNode.Spellings))
                .Distinct(StringComparer.Ordinal);
            text.Append("    '").Append(node.Key).Append("') echo '").Append(string.Join(' ', words)).Append("' ;;\n");
        }
        text.Append("    go) echo '").Append(string.Join(' ', Compat.CompatFlags.All.Where(f => !f.NotYetSupported).Select(f => "-" + f.Name))).Append("' ;;\n");
        text.Append("""
              esac
            }
            _kmap_is_command() {
              case "$1" in

            """);
        text.Append("    ").Append(string.Join('|', nodes.Where(n => n.Path.Count > 0).Select(n => "'" + n.Key + "'"))).Append(") return 0 ;;\n");
        text.Append("""
              esac
              return 1
            }
            # COMPREPLY from compgen's lines (a read loop, not mapfile: zsh's bashcompinit has no mapfile).
            _kmap_reply() {
              local line
              COMPREPLY=()
              while IFS= read -r line; do
                COMPREPLY+=("$line")
              done < <(compgen "$@" -- "$cur")
            }
            # Not `path`: zsh ties that name to PATH.
            _kmap() {
              local cur prev command_path="" word i
              cur="${COMP_WORDS[COMP_CWORD]}"
              prev="${COMP_WORDS[COMP_CWORD-1]}"
              case "$prev" in
                --context|-context)
                  _kmap_reply -W "$("${COMP_WORDS[0]}" config list --names 2>/dev/null)"
                  return 0 ;;
                --format)
                  _kmap_reply -W "table json"
                  return 0 ;;
              esac
              for ((i = 1; i < COMP_CWORD; i++)); do
                word="${COMP_WORDS[i]}"
                if _kmap_is_command "${command_path:+$command_path }$word"; then
                  command_path="${command_path:+$command_path }$word"
                fi
              done
              if [ -z "$command_path" ] && [[ "$cur" == -* ]]; then
                # The Go-compatible one-shot mode: kmap -brokers ... -save-offsets ...
                _kmap_reply -W "$(_kmap_words '') $(_kmap_words go)"
                return 0
              fi
              _kmap_reply -W "$(_kmap_words "$command_path")"
              if [ "${#COMPREPLY[@]}" -eq 0 ]; then
                _kmap_reply -f
              fi
            }
            complete -o default -F _kmap kmap

            """);
        return text.ToString();
    }
}
