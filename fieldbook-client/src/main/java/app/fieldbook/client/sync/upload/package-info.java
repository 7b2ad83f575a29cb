/** Uploading the content of photos, resumably and one by one, after the server acknowledged their creation. */
package app.fieldbook.client.sync.upload;
