// The AWS simulator transport lands with issue 6; this module is declared now so the package layout is final.
internal import AWSClient
