package dev.olympus.edge.reports;

import dev.olympus.edge.orders.BusinessDates;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.LanRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.LocalDate;

/** {@code GET /api/v1/reports/sales?business_date=YYYY-MM-DD} (default: today's). */
public final class ReportRoutes implements LanRoutes {
  private final SalesReport sales;
  private final BusinessDates dates;

  public ReportRoutes(SalesReport sales, BusinessDates dates) {
    this.sales = sales;
    this.dates = dates;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/reports/sales", this::sales);
  }

  private void sales(Context ctx) {
    String raw = ctx.queryParam("business_date");
    LocalDate date;
    if (raw == null || raw.isEmpty()) {
      date = dates.today();
    } else {
      try {
        date = LocalDate.parse(raw);
      } catch (DateTimeException e) {
        throw new ApiException(
            400,
            "invalid_field",
            "business_date must be a date as YYYY-MM-DD, was '"
                + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw)
                + "'",
            "business_date");
      }
    }
    ctx.json(sales.of(date));
  }
}
