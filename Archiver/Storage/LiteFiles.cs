using LiteDB;

namespace Archiver.Storage;

/// <summary>Opens LiteDB files the way the archive needs them, with one clear error when another process holds them.</summary>
internal static class LiteFiles
{
    public static LiteDatabase Open(string path, string archiveRoot, bool readOnly)
    {
        var connection = new ConnectionString
        {
            Filename = path,
            Connection = ConnectionType.Direct,
            ReadOnly = readOnly,
            // Ordinal: keys are compared byte-wise; culture-aware collation is slower and not what ids need.
            Collation = new Collation("en-US/Ordinal"),
        };
        try
        {
            return new LiteDatabase(connection);
        }
        catch (IOException e)
        {
            throw new ArchiveBusyException(archiveRoot, e);
        }
    }
}
