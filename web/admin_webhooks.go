package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// webhookEventText describes each event on the create form.
var webhookEventText = map[string]string{
	linkhub.EventAccountCreated:       "A user linked an account.",
	linkhub.EventAccountUpdated:       "An account got new credentials (relink) or its discovered details changed.",
	linkhub.EventAccountDeleted:       "An account was deleted.",
	linkhub.EventAccountStatusChanged: "An account became active, error, needs_relink, disabled or inactive.",
	linkhub.EventConnectSessionFailed: "A user's link attempt in the hub failed; carries the reason code.",
}

func webhookRow(w *linkhub.Webhook) views.WebhookRow {
	return views.WebhookRow{ID: w.ID, URL: w.URL, Events: w.Events, Enabled: w.Enabled,
		Created: fmtTime(w.CreatedAt), Pending: w.Pending, Failed: w.Failed}
}

// webhooksView builds the list page with the form's events checked as given.
func webhooksView(c echo.Context, webhooks linkhub.WebhookService, checked []string) (views.WebhooksView, error) {
	list, err := webhooks.FindWebhooks(c.Request().Context())
	if err != nil {
		return views.WebhooksView{}, err
	}
	v := views.WebhooksView{}
	for _, w := range list {
		v.Rows = append(v.Rows, webhookRow(w))
	}
	for _, e := range linkhub.WebhookEvents {
		v.Events = append(v.Events, views.WebhookEventOption{Type: e, Description: webhookEventText[e],
			Checked: slices.Contains(checked, e)})
	}
	return v, nil
}

// handleWebhooks handles GET /admin/webhooks. Every event is checked for a new endpoint.
func handleWebhooks(webhooks linkhub.WebhookService) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := webhooksView(c, webhooks, linkhub.WebhookEvents)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.Webhooks(v))
	}
}

// webhookForm is the add-endpoint form.
type webhookForm struct {
	URL    string   `form:"url"`
	Events []string `form:"events"`
}

// handleWebhookCreate handles POST /admin/webhooks. The signing secret is in this
// response only (no-store, like every admin page); it is never shown again.
func handleWebhookCreate(webhooks linkhub.WebhookService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f webhookForm
		if err := c.Bind(&f); err != nil {
			return err
		}
		w := &linkhub.Webhook{URL: f.URL, Events: f.Events}
		sec, err := webhooks.CreateWebhook(c.Request().Context(), actor(c), w)
		if field := linkhub.ErrorField(err); field == "url" || field == "events" {
			v, lerr := webhooksView(c, webhooks, f.Events)
			if lerr != nil {
				return lerr
			}
			v.URL = f.URL
			if field == "url" {
				v.URLError = linkhub.ErrorMessage(err)
			} else {
				v.EventsError = linkhub.ErrorMessage(err)
			}
			return render(c, http.StatusUnprocessableEntity, views.Webhooks(v))
		} else if err != nil {
			return err
		}
		return render(c, http.StatusCreated, views.WebhookCreated(views.WebhookCreatedView{ID: w.ID, URL: w.URL, Secret: sec}))
	}
}

// handleWebhook handles GET /admin/webhooks/:id: the endpoint and its delivery log.
func handleWebhook(webhooks linkhub.WebhookService) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		w, err := webhooks.FindWebhookByID(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		log, err := webhooks.FindWebhookAttempts(ctx, w.ID, 50)
		if err != nil {
			return err
		}
		v := views.WebhookDetailView{WebhookRow: webhookRow(w)}
		latest := map[string]bool{} // the log is newest first
		for _, a := range log {
			row := views.WebhookAttemptRow{When: fmtTime(a.CreatedAt), EventType: a.EventType, EventID: a.EventID,
				Attempt: a.Attempt, StatusCode: "—", Latency: strconv.FormatInt(a.Latency.Milliseconds(), 10) + " ms",
				Result: "retrying", Error: a.Error}
			if a.StatusCode != 0 {
				row.StatusCode = strconv.Itoa(a.StatusCode)
			}
			first := !latest[a.EventID]
			latest[a.EventID] = true
			switch {
			case a.StatusCode >= 200 && a.StatusCode < 300:
				row.Result = "delivered"
			case a.NextAttemptAt == nil:
				row.Result = "failed"
			case first && a.DeliveryStatus == linkhub.DeliveryPending:
				row.Next = fmtTime(*a.NextAttemptAt)
			default:
				row.Result = "retried"
			}
			v.Attempts = append(v.Attempts, row)
		}
		return render(c, http.StatusOK, views.WebhookDetail(v))
	}
}

// handleWebhookTest handles POST /admin/webhooks/:id/test.
func handleWebhookTest(webhooks linkhub.WebhookService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		w, err := webhooks.FindWebhookByID(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		if _, err := webhooks.SendTestEvent(c.Request().Context(), actor(c), w.ID); err != nil {
			return err
		}
		msg := "Queued a webhook.test event; it appears in the delivery log within seconds (reload the page)."
		if !w.Enabled {
			msg = "Queued a webhook.test event. The endpoint is disabled: it is sent once you enable it."
		}
		return sess.redirectWithFlash(c, "/admin/webhooks/"+w.ID, "success", msg)
	}
}

// handleWebhookSetEnabled handles POST /admin/webhooks/:id/disable and /enable.
func handleWebhookSetEnabled(webhooks linkhub.WebhookService, sess *adminSessions, enabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		w, err := webhooks.SetWebhookEnabled(c.Request().Context(), actor(c), c.Param("id"), enabled)
		if err != nil {
			return err
		}
		msg := "Disabled the endpoint: changes from now on are not sent to it, not even later; " +
			"events already pending wait until you enable it again (retries stop 24 hours after each event)."
		if enabled {
			msg = "Enabled the endpoint."
		}
		return sess.redirectWithFlash(c, "/admin/webhooks/"+w.ID, "success", msg)
	}
}

// handleWebhookDeletePage handles GET /admin/webhooks/:id/delete: the confirmation.
func handleWebhookDeletePage(webhooks linkhub.WebhookService) echo.HandlerFunc {
	return func(c echo.Context) error {
		w, err := webhooks.FindWebhookByID(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.DeleteWebhook(views.DeleteWebhookView{ID: w.ID, URL: w.URL}))
	}
}

// handleWebhookDelete handles POST /admin/webhooks/:id/delete.
func handleWebhookDelete(webhooks linkhub.WebhookService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := webhooks.DeleteWebhook(c.Request().Context(), actor(c), c.Param("id")); err != nil {
			return err
		}
		return sess.redirectWithFlash(c, "/admin/webhooks", "success", "Deleted the webhook endpoint.")
	}
}
