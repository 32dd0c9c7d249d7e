using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Kmap.Core.Backup;
using Kmap.Core.Config;
using Kmap.Core.Csv;
using Kmap.Core.Model;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Fuzz;

/// <summary>
/// Fuzzing of every reader of user-supplied files, with a fixed seed and a budget of a few seconds: random and
/// mutated inputs give a result or the documented error (its type and message form), never another exception.
/// </summary>
public class InputFuzzTests
{
    private const string Source = "backups/offsets.json";

    private static readonly string ValidBackup = OffsetBackupJson.Serialize(new OffsetBackup(
        new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero), "prod:9092",
        [
            new GroupOffsets("orders-app", [new BackedUpOffset("orders", 0, 42) { LeaderEpoch = 3, LogStartOffset = 0, LogEndOffset = 50 }, new BackedUpOffset("orders", 1, 7)],
                new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero)) { State = "Empty", MemberCount = 0 },
            new GroupOffsets("say \"hi\", <b>", [new BackedUpOffset("payments", 2, 9_000_000_000) { Metadata = "m" }], new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero)),
        ])
    { ClusterId = "abc", FormatVersion = 2 });

    [Fact]
    public void Mutated_and_random_backup_files_read_or_fail_with_a_BackupFormatException_naming_file_and_position()
    {
        var checkedInputs = 0;
        Gen.OneOf(Mutations.Of(ValidBackup), Mutations.Of(Samples.GuideJson), Mutations.Text).Sample(text =>
        {
            Interlocked.Increment(ref checkedInputs);
            AssertBackupReadsOrFailsCleanly(text);
        }, seed: Mutations.Seed, iter: 20_000, threads: 1);

        Assert.Equal(20_000, checkedInputs);
    }

    [Fact]
    public void Backup_files_with_fields_of_any_type_read_or_fail_naming_the_field()
    {
        // Every field of the format, in place, holding a valid value or any JSON value at all.
        var value = JsonValue(3);
        Gen<string> Field(string valid) => Gen.Frequency((3, Gen.Const(valid)), (1, value));
        var partition = Gen.Select(Field("0"), Field("42"), Field("7"), Field("\"2026-01-20T15:30:04.123Z\""),
            (p, o, e, t) => $$"""{"partition": {{p}}, "offset": {{o}}, "leader_epoch": {{e}}, "log_end_offset": {{o}}, "last_consumed_timestamp": {{t}}}""");
        var group = Gen.Select(Field("\"g\""), Field("\"2026-01-20T15:30:04Z\""), Field("[]"), partition.Array[0, 3], Field("2"),
            (name, time, _, partitions, members) => $$"""{"group": {{name}}, "timestamp": {{time}}, "members": {{members}}, "topics": {"orders": [""" + string.Join(",", partitions) + "]}}");
        var backup = Gen.Select(Field("\"2026-01-20T15:30:04Z\""), Field("\"c\""), group.Array[0, 3], Field("2"),
            (time, cluster, groups, version) => $$"""{"timestamp": {{time}}, "cluster": {{cluster}}, "format_version": {{version}}, "consumer_groups": [{{string.Join(",", groups)}}]}""");

        backup.Sample(text =>
        {
            var error = AssertBackupReadsOrFailsCleanly(text);
            if (error is not null && IsJson(text))
            {
                // Well-formed JSON of the wrong shape: the message says where, as a path.
                Assert.True(error.Message.Contains("consumer_groups", StringComparison.Ordinal) || error.Message.Contains("timestamp", StringComparison.Ordinal)
                    || error.Message.Contains("header", StringComparison.Ordinal), error.Message);
            }
        }, seed: Mutations.Seed, iter: 5_000, threads: 1);
    }

    [Fact]
    public void A_malformed_backup_names_the_line_and_byte_and_a_wrongly_typed_offset_names_its_path()
    {
        var truncated = Assert.Throws<BackupFormatException>(() => OffsetBackupJson.Deserialize(ValidBackup[..(ValidBackup.Length / 2)], Source));
        var wrongType = Assert.Throws<BackupFormatException>(() => OffsetBackupJson.Deserialize(
            """{"timestamp": "2026-01-20T15:30:04Z", "cluster": "c", "consumer_groups": [{"group": "a", "topics": {}}, {"group": "b", "topics": {"orders": [{"partition": 0, "offset": "42"}]}}]}""", Source));

        Assert.Matches(@"^backups/offsets\.json: line \d+, byte \d+: not a valid backup file: ", truncated.Message);
        Assert.StartsWith("backups/offsets.json: consumer_groups[1].topics.orders[0]: ", wrongType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_and_random_reset_csv_parses_or_fails_with_a_FormatException_naming_the_line()
    {
        var valid = ResetCsv.Write([new ResetCsvRow("g,1", "orders", 0, 42), new ResetCsvRow("\"quoted\"", "payments", 11, 9_000_000_000), new ResetCsvRow(" pad ", "t", 2, 0)], withGroup: true)
            + "orders,0,1\n";
        var input = Gen.Select(Gen.OneOf(Mutations.Of(valid), Mutations.Text), Gen.OneOf(Gen.Const((string?)null), Gen.Const((string?)"g"), Gen.String[0, 5].Select(s => (string?)s)));
        input.Sample((text, group) =>
        {
            try
            {
                var rows = ResetCsv.Parse(text, group);
                // What was read writes back (four columns carry every group) and reads again to the same rows.
                var again = ResetCsv.Parse(ResetCsv.Write(rows, withGroup: true), null);
                Assert.Equal(rows, again);
            }
            catch (FormatException e)
            {
                Assert.Matches(@"^line \d+", e.Message);
            }
        }, seed: Mutations.Seed, iter: 20_000, threads: 1);
    }

    [Fact]
    public void Random_properties_files_parse_and_apply_or_fail_with_a_FormatException_that_never_shows_the_password()
    {
        const string password = "Fz-S3cr3t-pa55";
        string[] keys = ["bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config", "sasl.username", "sasl.password",
            "ssl.truststore.location", "ssl.truststore.type", "ssl.keystore.location", "ssl.keystore.type", "ssl.ca.location", "ssl.key.password",
            "ssl.endpoint.identification.algorithm", "client.id", "unknown.key"];
        string[] plainValues = ["SASL_SSL", "sasl_plaintext", "SCRAM-SHA-512", "GSSAPI", "x.jks", "PKCS12", "PEM", "", "u"];
        string[] secretValues = [password, $"org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"{password}\";",
            $"x password={password}", "\"unterminated password=" + password];
        var line = Gen.Select(Gen.Int[0, keys.Length - 1], Gen.Int[0, 64], Gen.Int[0, 3], Mutations.Text, (k, v, separator, noise) =>
        {
            var values = keys[k] is "sasl.password" or "sasl.jaas.config" or "ssl.key.password" ? secretValues : plainValues;
            return separator == 3 ? noise : $"{keys[k]}{(separator switch { 0 => "=", 1 => ": ", _ => " " })}{values[v % values.Length]}";
        });
        var file = Gen.OneOf(line.List[0, 8].Select(lines => string.Join('\n', lines)), Mutations.Of($"sasl.password={password}\nsecurity.protocol=SASL_SSL\nsasl.jaas.config=a \\\n  b=c\n"));

        file.Sample(text =>
        {
            var properties = JavaProperties.Parse(text);
            var warnings = new List<string>();
            string? error = null;
            try
            {
                ClientProperties.Apply(new ConnectionSettings(), properties, warnings.Add);
            }
            catch (FormatException e)
            {
                error = e.Message;
            }
            // The password, unless the file also uses it as a key or as another key's value (a typo that kmap may name as such).
            string[] secretKeys = ["sasl.password", "ssl.key.password", "sasl.jaas.config"];
            var secrets = properties.Any(p => p.Key.Contains(password, StringComparison.Ordinal)
                || (!secretKeys.Contains(p.Key) && p.Value.Contains(password, StringComparison.Ordinal))) ? [] : new[] { password };
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, error ?? "", StringComparison.Ordinal);
                Assert.DoesNotContain(warnings, w => w.Contains(secret, StringComparison.Ordinal));
            }
        }, seed: Mutations.Seed, iter: 20_000, threads: 1);
    }

    [Fact]
    public void A_password_line_without_a_separator_is_not_echoed_as_an_unknown_key()
    {
        var warnings = new List<string>();

        ClientProperties.Apply(new ConnectionSettings(), JavaProperties.Parse("sasl.passwordFz-S3cr3t-pa55\n"), warnings.Add);

        var warning = Assert.Single(warnings);
        Assert.DoesNotContain("Fz-S3cr3t", warning, StringComparison.Ordinal);
        Assert.Contains("sasl.password", warning, StringComparison.Ordinal);
    }

    private static BackupFormatException? AssertBackupReadsOrFailsCleanly(string text)
    {
        try
        {
            OffsetBackupJson.Deserialize(text, Source);
            return null;
        }
        catch (BackupFormatException e)
        {
            Assert.StartsWith(Source + ": ", e.Message, StringComparison.Ordinal);
            if (!IsJson(text))
            {
                Assert.Matches(@"^backups/offsets\.json: line \d+, byte \d+: ", e.Message);
            }
            return e;
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Any JSON value, nested up to <paramref name="depth"/>.</summary>
    private static Gen<string> JsonValue(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Const("null"), Gen.Const("true"), Gen.Const("false"),
            Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)),
            Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e308"),
            Gen.Const("1e999"), Gen.Const("-0"), Gen.Const("18446744073709551616"),
            Gen.String[0, 12].Select(s => JsonSerializer.Serialize(s)),
            Gen.Const("\"2026-01-20T15:30:04Z\""), Gen.Const("\"2026-02-30T25:00:00Z\""));
        if (depth == 0)
        {
            return scalar;
        }
        var inner = JsonValue(depth - 1);
        return Gen.Frequency(
            (4, scalar),
            (1, inner.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 8], inner).Array[0, 3]
                .Select(fields => "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Item1) + ":" + f.Item2)) + "}")));
    }
}
