/**
 * People and how they prove who they are: users and roles, web sessions and bearer tokens, password
 * storage, the second factor (an authenticator app and recovery codes), login throttling and the first
 * administrator; and a person's own account (changing the password, ending their sessions). Other modules
 * see the signed-in {@link app.fieldbook.identity.Actor} and the events this module publishes, and publish the
 * two every module may: {@link app.fieldbook.identity.AccessDenied} and {@link app.fieldbook.identity.RecordsRead}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
package app.fieldbook.identity;
