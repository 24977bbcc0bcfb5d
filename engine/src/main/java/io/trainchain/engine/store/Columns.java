package io.trainchain.engine.store;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** JDBC helpers for nullable columns, and the JSON codec the store's text columns share. */
final class Columns {

    static final ObjectMapper JSON = new ObjectMapper();

    static void setNullable(PreparedStatement p, int index, Number value) throws SQLException {
        if (value == null) {
            p.setNull(index, value instanceof Integer ? Types.INTEGER : Types.REAL);
        } else if (value instanceof Integer i) {
            p.setInt(index, i);
        } else if (value instanceof Long l) {
            p.setLong(index, l);
        } else {
            p.setDouble(index, value.doubleValue());
        }
    }

    static Double getDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static Integer getInteger(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private Columns() {
    }
}
