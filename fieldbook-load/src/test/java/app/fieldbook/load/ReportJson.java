package app.fieldbook.load;

/** The JSON of a daily report for the REST API ({@code POST /api/v1/reports}), every section filled. */
final class ReportJson {

    private ReportJson() {
    }

    static String complete(String reportId, String siteId, String date) {
        return "{\"id\":\"" + reportId + "\",\"siteId\":\"" + siteId + "\",\"date\":\"" + date + "\",\"content\":{"
                + "\"weather\":{\"conditions\":\"Overcast\",\"temperatureCelsius\":14.5},"
                + "\"crew\":[{\"trade\":\"Concrete\",\"company\":\"Beton Nord GmbH\",\"headcount\":6,\"hours\":48},"
                + "{\"trade\":\"Carpentry\",\"company\":\"Holzbau Weber\",\"headcount\":2,\"hours\":16}],"
                + "\"workPerformed\":\"Poured deck section 4 and stripped the formwork on level 2.\","
                + "\"delays\":\"Concrete truck 40 minutes late; pour started 09:10.\","
                + "\"safetyIncidents\":\"None. Toolbox talk on working at height.\","
                + "\"materials\":\"18 m3 C30/37 concrete, 2 t rebar\","
                + "\"notes\":\"Photos of the east edge and the stair core attached.\"}}";
    }
}
