import java.math.BigDecimal;
import java.sql.*;
import java.util.*;

/**
 * Checks run by pgjdbc against Eddy (EDDY_URL) and, where a check compares, a real PostgreSQL
 * (PG_URL), both postgresql:// URLs: `java DriverCheck NAME`. Each prints one JSON line as its
 * result, which test/drivers/java.test.ts asserts on; any exception exits non-zero.
 */
public class DriverCheck {
  /** jdbc:postgresql://host:port/db?user=..&password=..&(the URL's own parameters). */
  static Connection connect(String url) throws Exception {
    java.net.URI u = new java.net.URI(url);
    Properties props = new Properties();
    String[] userInfo = u.getRawUserInfo() == null ? new String[0] : u.getRawUserInfo().split(":", 2);
    if (userInfo.length > 0) props.setProperty("user", java.net.URLDecoder.decode(userInfo[0], "UTF-8"));
    if (userInfo.length > 1) props.setProperty("password", java.net.URLDecoder.decode(userInfo[1], "UTF-8"));
    if (u.getRawQuery() != null) {
      for (String kv : u.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        props.setProperty(p[0], java.net.URLDecoder.decode(p[1], "UTF-8"));
      }
    }
    return DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath(), props);
  }

  static Connection eddy() throws Exception { return connect(System.getenv("EDDY_URL")); }
  static Connection pg() throws Exception { return connect(System.getenv("PG_URL")); }

  // --- JSON output ---------------------------------------------------------------------------
  static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
    if (v instanceof Map) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (b.length() > 1) b.append(',');
        b.append(json(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (v instanceof List) {
      StringBuilder b = new StringBuilder("[");
      for (Object x : (List<?>) v) {
        if (b.length() > 1) b.append(',');
        b.append(json(x));
      }
      return b.append(']').toString();
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toString().toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  // --- values as the driver decoded them ----------------------------------------------------
  /** A value's Java class and content: arrays element by element, bytes in hex. */
  static String key(Object v) throws SQLException {
    if (v == null) return "null";
    if (v instanceof java.sql.Array) return "Array(" + key(((java.sql.Array) v).getArray()) + ")";
    if (v instanceof Object[]) {
      List<String> parts = new ArrayList<>();
      for (Object x : (Object[]) v) parts.add(key(x));
      return v.getClass().getSimpleName() + parts;
    }
    if (v instanceof byte[]) return "byte[]" + HexFormat.of().formatHex((byte[]) v);
    if (v instanceof org.postgresql.util.PGobject) {
      org.postgresql.util.PGobject o = (org.postgresql.util.PGobject) v;
      return v.getClass().getSimpleName() + "(" + o.getType() + ":" + o.getValue() + ")";
    }
    return v.getClass().getName() + ":" + v;
  }

  /** One column of the fidelity table through getObject, or the error reading it. */
  static List<String> column(Connection c, String column) {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + column + " FROM fidelity ORDER BY id")) {
      while (rs.next()) out.add(key(rs.getObject(1)));
    } catch (SQLException e) {
      return List.of("error: " + e.getSQLState() + " " + e.getMessage());
    }
    return out;
  }

  static Object fidelity() throws Exception {
    try (Connection e = eddy(); Connection p = pg()) {
      int compared = 0;
      List<Object> mismatches = new ArrayList<>();
      for (String col : System.getenv("FIDELITY_COLUMNS").split(",")) {
        List<String> a = column(e, col), b = column(p, col);
        if (!a.equals(b)) mismatches.add(Map.of("column", col, "eddy", a, "postgres", b));
        else if (!a.get(0).startsWith("error: ")) compared += a.size();
      }
      return Map.of("compared", compared, "mismatches", mismatches);
    }
  }

  /** Every type bound through PreparedStatement's typed setters, in a batch, then read back. */
  static Object prepared(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE jdbc_prep (id int4, b bool, i2 int2, i8 int8, f4 real, f8 float8, n numeric(10,3), t text,"
          + " vc varchar(5), by bytea, d date, ts timestamp, tstz timestamptz, iv interval, jb jsonb, ai int4[], at text[])");
    }
    String insert = "INSERT INTO jdbc_prep VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      for (int i = 1; i <= 3; i++) {
        ps.setInt(1, i);
        ps.setBoolean(2, i % 2 == 0);
        ps.setShort(3, (short) (-i));
        ps.setLong(4, Long.MAX_VALUE - i);
        ps.setFloat(5, 1.5f * i);
        ps.setDouble(6, Math.PI * i);
        ps.setBigDecimal(7, new BigDecimal("12.3456").multiply(BigDecimal.valueOf(i)));
        ps.setString(8, "line " + i + " ☃");
        ps.setString(9, "v" + i);
        ps.setBytes(10, new byte[] {0, (byte) i, (byte) 0xff});
        ps.setDate(11, java.sql.Date.valueOf("2024-02-2" + i));
        ps.setTimestamp(12, Timestamp.valueOf("2024-02-29 12:34:56.78900" + i));
        ps.setObject(13, java.time.OffsetDateTime.parse("2024-03-0" + i + "T01:02:03.000004+02:00"));
        ps.setObject(14, new org.postgresql.util.PGInterval(0, i, 2, 3, 4, 5.5));
        org.postgresql.util.PGobject jb = new org.postgresql.util.PGobject();
        jb.setType("jsonb");
        jb.setValue("{\"k\": [" + i + ", null]}");
        ps.setObject(15, jb);
        ps.setArray(16, c.createArrayOf("int4", new Integer[] {i, null, -i}));
        ps.setArray(17, c.createArrayOf("text", new String[] {"a\"b", null, ""}));
        ps.addBatch();
      }
      ps.setInt(1, 4);
      for (int i = 2; i <= 17; i++) ps.setNull(i, Types.NULL);
      ps.addBatch();
      counts = ps.executeBatch();
    }
    List<String> rows = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement("SELECT * FROM jdbc_prep WHERE id >= ? ORDER BY id")) {
      q.setInt(1, 1);
      // Past prepareThreshold pgjdbc switches to a named server statement and binary results.
      for (int run = 0; run < 6; run++) {
        rows.clear();
        try (ResultSet rs = q.executeQuery()) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= n; i++) b.append(key(rs.getObject(i))).append(" | ");
            rows.add(b.toString());
          }
        }
      }
    }
    return Map.of("batch", Arrays.toString(counts), "rows", rows);
  }

  static Object preparedBoth() throws Exception {
    try (Connection e = eddy(); Connection p = pg()) {
      return Map.of("eddy", prepared(e), "postgres", prepared(p));
    }
  }

  /** setFetchSize in a transaction: pgjdbc reads the result through a portal, n rows at a time. */
  static Object fetchSize() throws Exception {
    try (Connection c = eddy()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE jdbc_many (id int8, label text)");
        s.execute("INSERT INTO jdbc_many SELECT g, 'row ' || g FROM generate_series(1, 1000) AS g");
      }
      c.setAutoCommit(false);
      long sum = 0;
      int rows = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT id, label FROM jdbc_many ORDER BY id")) {
        ps.setFetchSize(7);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
            sum += rs.getLong(1);
            if (!rs.getString(2).equals("row " + rs.getLong(1))) throw new AssertionError("bad row " + rows);
          }
        }
      }
      c.commit();
      return Map.of("rows", rows, "sum", sum);
    }
  }

  static List<List<String>> rows(ResultSet rs) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) names.add(rs.getMetaData().getColumnLabel(i).toLowerCase());
    out.add(names);
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) row.add(rs.getString(i));
      out.add(row);
    }
    rs.close();
    return out;
  }

  static final String[] METADATA_DDL = {
    "CREATE TABLE jm_accounts (id int8 PRIMARY KEY, owner varchar(30) NOT NULL, balance numeric(12,2) DEFAULT 0, opened date)",
    "CREATE TABLE jm_pairs (a int, b text, c int, PRIMARY KEY (c, a))",
    "CREATE VIEW jm_rich AS SELECT id, owner FROM jm_accounts WHERE balance > 1000",
    "CREATE MATERIALIZED VIEW jm_by_owner AS SELECT owner, count(*) AS n FROM jm_accounts GROUP BY owner",
  };

  /** DatabaseMetaData's answers for the user's objects. */
  static Map<String, Object> metadata(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      for (String sql : METADATA_DDL) s.execute(sql);
    }
    DatabaseMetaData md = c.getMetaData();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("getTables", rows(md.getTables(null, "public", "jm\\_%", null)));
    out.put("getTablesOfTypes", rows(md.getTables(null, null, "jm%", new String[] {"TABLE", "VIEW", "MATERIALIZED VIEW"})));
    out.put("getColumns", rows(md.getColumns(null, "public", "jm\\_%", "%")));
    out.put("getPrimaryKeys", rows(md.getPrimaryKeys(null, "public", "jm_pairs")));
    out.put("getIndexInfo", rows(md.getIndexInfo(null, "public", "jm_accounts", false, false)));
    out.put("getSchemas", rows(md.getSchemas()));
    out.put("getTableTypes", rows(md.getTableTypes()));
    List<List<String>> types = rows(md.getTypeInfo());
    // The types both servers have: PostgreSQL has many that Eddy does not.
    Set<String> eddyTypes = Set.of("bool", "bytea", "char", "name", "int8", "int2", "int4", "text", "oid", "json", "float4",
        "float8", "bpchar", "varchar", "date", "timestamp", "timestamptz", "interval", "numeric", "jsonb", "_int4", "_text");
    types.removeIf(r -> types.indexOf(r) > 0 && !eddyTypes.contains(r.get(0)));
    out.put("getTypeInfo", types);
    out.put("getCatalogs", rows(md.getCatalogs()));
    return out;
  }

  static Object metadataBoth() throws Exception {
    try (Connection e = eddy(); Connection p = pg()) {
      return Map.of("eddy", metadata(e), "postgres", metadata(p));
    }
  }

  /** Connects with what the URL asks (a password for SCRAM, ssl and sslmode for TLS). */
  static Object connectOnly() throws Exception {
    try (Connection c = eddy(); PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
      ps.setInt(1, 41);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        // The TLS listener refuses clients that do not ask for TLS, so a value means it was used.
        return Map.of("value", rs.getInt(1));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String check = args[args.length - 1];
    Object result;
    switch (check) {
      case "fidelity": result = fidelity(); break;
      case "prepared": result = preparedBoth(); break;
      case "fetch-size": result = fetchSize(); break;
      case "metadata": result = metadataBoth(); break;
      case "connect": result = connectOnly(); break;
      default: throw new IllegalArgumentException("unknown check " + check);
    }
    System.out.println(json(result));
  }
}
