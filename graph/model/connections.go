// Package model holds the GraphQL-only types: the ones gqlgen generates
// (inputs, payloads) and the connection types written here so that a
// connection can carry what its lazily computed totalCount needs.
package model

import "github.com/credithub/credithub/internal/credit"

// SubjectConnection is a page of subjects. Filter is kept so that totalCount
// is counted only when a client asks for it.
type SubjectConnection struct {
	Edges    []SubjectEdge
	PageInfo PageInfo
	Filter   credit.SubjectFilter
}

// SubjectEdge is a subject and its cursor.
type SubjectEdge struct {
	Cursor string
	Node   credit.Subject
}

// LicenceConnection is a page of a subject's licences.
type LicenceConnection struct {
	Edges     []LicenceEdge
	PageInfo  PageInfo
	SubjectID int64
}

// LicenceEdge is a licence and its cursor.
type LicenceEdge struct {
	Cursor string
	Node   credit.Licence
}

// PenaltyConnection is a page of a subject's penalties.
type PenaltyConnection struct {
	Edges     []PenaltyEdge
	PageInfo  PageInfo
	SubjectID int64
	Since     credit.Date
}

// PenaltyEdge is a penalty and its cursor.
type PenaltyEdge struct {
	Cursor string
	Node   credit.Penalty
}

// PageInfo tells where a page is in its list.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// ListEntryConnection is a page of list entries.
type ListEntryConnection struct {
	Edges    []ListEntryEdge
	PageInfo PageInfo
	Filter   credit.ListEntryFilter
}

// ListEntryEdge is a list entry and its cursor.
type ListEntryEdge struct {
	Cursor string
	Node   credit.ListEntry
}

// JointCaseConnection is a page of joint cases.
type JointCaseConnection struct {
	Edges    []JointCaseEdge
	PageInfo PageInfo
	Filter   credit.JointCaseFilter
}

// JointCaseEdge is a joint case and its cursor.
type JointCaseEdge struct {
	Cursor string
	Node   credit.JointCase
}
