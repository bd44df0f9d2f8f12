using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TechTransfer.Achievements;
using TechTransfer.Demands;
using TechTransfer.Listings;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;
using TechTransfer.Terminal;
using TechTransfer.Vocabulary;

namespace TechTransfer.PushBench;

/// <summary>
/// The market the benchmark runs against: N synthetic published listings (half achievements, half demands, of 500
/// organizations in every province) bulk-loaded with COPY straight into the listing projection, shaped exactly as
/// the grains write it (the public view as doc), so the host's search replica indexes them when it starts, the way
/// it reads any published listing. They have no grain state and their owners have no accounts or connections:
/// they are what new listings are matched against, and their owners' inboxes and centers' brokers still receive
/// the matches they take part in.
/// </summary>
public static class BackgroundListings
{
    const string Marker = "bench-background-"; // external_id prefix: how a rerun finds what is already loaded
    const int Owners = 500;

    /// <summary>Loads what is missing of the first <paramref name="count"/> background listings; returns how many are there.</summary>
    public static async Task<long> EnsureAsync(string connectionString, int count, Corpus corpus, RegionDirectory regions)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        long present;
        await using (var existing = db.CreateCommand($"SELECT count(*) FROM tt_listing WHERE external_id LIKE '{Marker}%'"))
            present = (long)(await existing.ExecuteScalarAsync())!;
        if (present >= count)
        {
            Console.Error.WriteLine($"bench-push: {present} background listings already loaded");
            return present;
        }

        var progress = new ProgressBar("background listings", count);
        var now = DateTimeOffset.UtcNow;
        var deadline = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(2));
        await using var connection = await db.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY tt_listing (id, kind, owner_org, status, title, province, region, tech_field, trl, price, updated_at, version, external_id, doc)
            FROM STDIN (FORMAT BINARY)
            """);
        copy.Timeout = TimeSpan.FromMinutes(30);
        // Loaded in index order with a seed per row, so a partial load continues with exactly the rows a full one has.
        for (var i = (int)present; i < count; i++)
        {
            var random = new Random(20260401 + i);
            var achievement = i % 2 == 0;
            var owner = $"org-bench-bg-{(achievement ? "uni" : "ent")}-{i / 2 % Owners:D3}";
            var province = Provinces.All[random.Next(Provinces.All.Count)];
            var region = regions.OfProvince(province)!.Code;
            var externalId = Marker + i;
            string id, title, techField;
            int trl;
            decimal price;
            object view;
            if (achievement)
            {
                var text = corpus.Achievement(random);
                id = ListingIds.AchievementFromCatalogue(owner, externalId);
                (title, techField, trl, price) = (text.Title, text.TechField, random.Next(3, 10), 10 * random.Next(5, 200));
                view = new AchievementView(id, owner, "Published", title, text.Body, text.Keywords, techField, trl,
                    random.Next(2) == 0 ? ["License"] : ["Assignment", "License"], price, province, region,
                    [new IpRight(IpRightKind.InventionPatent, $"ZL2024{i:D7}.X")], null, now, now, now, 1);
            }
            else
            {
                var text = corpus.Demand(random);
                id = ListingIds.DemandFromCatalogue(owner, externalId);
                var budgetMin = 10m * random.Next(5, 50);
                (title, techField, trl, price) = (text.Title, text.TechField, random.Next(1, 7), budgetMin * random.Next(2, 6));
                view = new DemandView(id, owner, "Published", title, text.Body, text.Keywords, techField, trl, budgetMin, price,
                    province, region, deadline, null, now, now, now, 1);
            }
            await copy.StartRowAsync();
            await copy.WriteAsync(id);
            await copy.WriteAsync(achievement ? "achievement" : "demand");
            await copy.WriteAsync(owner);
            await copy.WriteAsync("Published");
            await copy.WriteAsync(title);
            await copy.WriteAsync(province);
            await copy.WriteAsync(region);
            await copy.WriteAsync(techField);
            await copy.WriteAsync(trl);
            await copy.WriteAsync(price, NpgsqlDbType.Numeric);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(1);
            await copy.WriteAsync(externalId);
            await copy.WriteAsync(JsonSerializer.Serialize(view, view.GetType(), TechTransferJson.Options), NpgsqlDbType.Jsonb);
            if (i % 1000 == 0) progress.Report(i);
        }
        await copy.CompleteAsync();
        progress.Done();
        return count;
    }
}
